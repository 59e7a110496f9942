package io.headlessdns.server.table;

import java.util.Arrays;

/**
 * The compression dictionary of {@link AnswerEncoder} (RFC 1035 4.1.4): name suffixes already written
 * and their offsets in the message. An open-addressing table over the encoder's own name arrays, so a
 * look-up allocates nothing, and emptied in O(1) by moving to a new stamp: the encoder clears it for
 * every RRset it encodes, and a large SRV RRset grows it to thousands of slots.
 */
final class Dictionary {
    private byte[][] names = new byte[64][];
    private int[] froms = new int[64];
    private int[] hashes = new int[64];
    private int[] offsets = new int[64];
    /** A slot is in use when its stamp is the current one. */
    private int[] stamps = new int[64];
    private int stamp = 1;
    private int count;

    void clear() {
        count = 0;
        if (++stamp == 0) {
            Arrays.fill(stamps, 0);
            stamp = 1;
        }
    }

    /** The offset of the suffix of {@code name} starting at {@code from}, or -1. */
    int get(byte[] name, int from, int hash) {
        int mask = stamps.length - 1;
        for (int i = slot(hash, mask); stamps[i] == stamp; i = (i + 1) & mask) {
            if (hashes[i] == hash && Arrays.equals(names[i], froms[i], names[i].length, name, from, name.length)) {
                return offsets[i];
            }
        }
        return -1;
    }

    /** Remembers a suffix's offset unless the suffix is known; returns whether it was new. */
    boolean putIfAbsent(byte[] name, int from, int hash, int offset) {
        int mask = stamps.length - 1;
        int i = slot(hash, mask);
        for (; stamps[i] == stamp; i = (i + 1) & mask) {
            if (hashes[i] == hash && Arrays.equals(names[i], froms[i], names[i].length, name, from, name.length)) {
                return false;
            }
        }
        stamps[i] = stamp;
        names[i] = name;
        froms[i] = from;
        hashes[i] = hash;
        offsets[i] = offset;
        if (++count * 2 > stamps.length) {
            grow();
        }
        return true;
    }

    private static int slot(int hash, int mask) {
        return (hash ^ (hash >>> 16) ^ (hash >>> 7)) & mask;
    }

    private void grow() {
        byte[][] oldNames = names;
        int[] oldFroms = froms;
        int[] oldHashes = hashes;
        int[] oldOffsets = offsets;
        int[] oldStamps = stamps;
        int capacity = oldStamps.length * 2;
        names = new byte[capacity][];
        froms = new int[capacity];
        hashes = new int[capacity];
        offsets = new int[capacity];
        stamps = new int[capacity];
        int live = stamp;
        stamp = 1;
        count = 0;
        for (int i = 0; i < oldStamps.length; i++) {
            if (oldStamps[i] == live) {
                putIfAbsent(oldNames[i], oldFroms[i], oldHashes[i], oldOffsets[i]);
            }
        }
    }
}
