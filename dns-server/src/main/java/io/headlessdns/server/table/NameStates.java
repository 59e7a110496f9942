package io.headlessdns.server.table;

/**
 * The table writer's states by name: an open-addressing hash set of {@link NameState}s keyed by
 * themselves (a state is its name's key), with linear probing and backward-shift deletion.
 *
 * <p>Design note: a HashMap spends a 32-byte entry on each of the (hundreds of thousands of) names;
 * here a name costs an array slot and its hash beside it. Probing compares the hashes in the int array
 * and follows a state only on a match, so a look-up of a new name in a large table does not chase a
 * pointer per probe. Not thread-safe: the single writer's.
 */
final class NameStates {
    private static final int MIN_CAPACITY = 1024;

    private NameState[] slots = new NameState[MIN_CAPACITY];
    private int[] hashes = new int[MIN_CAPACITY];
    private int size;

    /** The state of a name, or null; {@code key} may be a {@link NameKey.Probe}. */
    NameState get(NameKey key) {
        int hash = key.hashCode();
        int mask = slots.length - 1;
        for (int i = index(hash, mask); ; i = (i + 1) & mask) {
            NameState s = slots[i];
            if (s == null || hashes[i] == hash && s.equals(key)) {
                return s;
            }
        }
    }

    /** Adds a state whose name is not present yet. */
    void add(NameState s) {
        if ((size + 1) * 4 > slots.length * 3) {
            resize(slots.length * 2);
        }
        insert(slots, hashes, s);
        size++;
    }

    void remove(NameKey key) {
        int hash = key.hashCode();
        int mask = slots.length - 1;
        int i = index(hash, mask);
        while (slots[i] != null && !(hashes[i] == hash && slots[i].equals(key))) {
            i = (i + 1) & mask;
        }
        if (slots[i] == null) {
            return;
        }
        slots[i] = null;
        size--;
        // shift later members of the probe run back, so a look-up never stops early at the hole
        for (int j = (i + 1) & mask; slots[j] != null; j = (j + 1) & mask) {
            int home = index(hashes[j], mask);
            boolean movable = i <= j ? home <= i || home > j : home <= i && home > j;
            if (movable) {
                slots[i] = slots[j];
                hashes[i] = hashes[j];
                slots[j] = null;
                i = j;
            }
        }
        if (slots.length > MIN_CAPACITY && size * 8 < slots.length) {
            resize(slots.length / 2);
        }
    }

    int size() {
        return size;
    }

    private void resize(int capacity) {
        NameState[] newSlots = new NameState[capacity];
        int[] newHashes = new int[capacity];
        for (NameState s : slots) {
            if (s != null) {
                insert(newSlots, newHashes, s);
            }
        }
        slots = newSlots;
        hashes = newHashes;
    }

    private static void insert(NameState[] table, int[] hashes, NameState s) {
        int hash = s.hashCode();
        int mask = table.length - 1;
        int i = index(hash, mask);
        while (table[i] != null) {
            i = (i + 1) & mask;
        }
        table[i] = s;
        hashes[i] = hash;
    }

    /** Spreads a NameKey hash before masking, so probe runs stay short whatever bits the hash varies in. */
    private static int index(int hash, int mask) {
        int h = hash * 0x9E3779B9;
        return (h ^ (h >>> 16)) & mask;
    }
}
