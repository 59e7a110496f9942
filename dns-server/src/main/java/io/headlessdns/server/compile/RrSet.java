package io.headlessdns.server.compile;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * The records of one owner name as the compiler collects them: insertion order kept, duplicates dropped
 * (an RRset is a set, RFC 2181 5). Small sets, nearly all of them, are checked by a scan; a hash set is
 * made only once one grows past a handful, as a large headless service's own name does. Read-only to
 * everyone but the compiler.
 */
final class RrSet extends AbstractList<Rr> {
    private static final int SCAN_LIMIT = 8;
    private static final Rr[] NONE = new Rr[0];

    private Rr[] rrs = NONE;
    private int size;
    private Set<Rr> index;

    void put(Rr rr) {
        if (index != null) {
            if (!index.add(rr)) {
                return;
            }
        } else {
            for (int i = 0; i < size; i++) {
                if (rrs[i].equals(rr)) {
                    return;
                }
            }
            if (size == SCAN_LIMIT) {
                index = new HashSet<>(Arrays.asList(rrs).subList(0, size));
                index.add(rr);
            }
        }
        if (size == rrs.length) {
            rrs = Arrays.copyOf(rrs, Math.max(1, size * 2));
        }
        rrs[size++] = rr;
    }

    @Override
    public Rr get(int i) {
        if (i >= size) {
            throw new IndexOutOfBoundsException(i);
        }
        return rrs[i];
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T[] toArray(T[] a) {
        return (T[]) Arrays.copyOf(rrs, size, a.getClass());
    }

    @Override
    public int size() {
        return size;
    }
}
