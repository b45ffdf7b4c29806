/*
 * Copyright 2026 The fedbiot authors. Licensed under the Apache License, Version 2.0.
 */
package io.github.fedbiot.flower.serde;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The objects of a deflated message by id, in post-order: an unmodifiable map whose values are made when they
 * are read (each read makes them anew), so that the chunks of a large array need not be held next to the array.
 * {@link #get}, {@link #containsKey} and {@link #keySet()} make nothing; iterating values or entries makes one
 * value at a time.
 */
final class ObjectContents extends AbstractMap<String, byte[]> {
    /** One object: its id, how to make its bytes, and their length. */
    record Entry(String id, Supplier<byte[]> content, int size) {}

    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();
    private final long byteSize;

    ObjectContents(List<Entry> list) {
        long total = 0;
        for (Entry e : list) {
            if (entries.putIfAbsent(e.id(), e) == null) {
                total += e.size();
            }
        }
        this.byteSize = total;
    }

    /** Returns the total bytes of all objects, without making them. @return the size */
    long byteSize() {
        return byteSize;
    }

    @Override
    public byte[] get(Object key) {
        Entry e = entries.get(key);
        return e == null ? null : e.content().get();
    }

    @Override
    public boolean containsKey(Object key) {
        return entries.containsKey(key);
    }

    @Override
    public Set<String> keySet() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    @Override
    public int size() {
        return entries.size();
    }

    @Override
    public Set<Map.Entry<String, byte[]>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<String, byte[]>> iterator() {
                Iterator<Entry> it = entries.values().iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public Map.Entry<String, byte[]> next() {
                        Entry e = it.next();
                        return new AbstractMap.SimpleImmutableEntry<>(e.id(), e.content().get());
                    }
                };
            }

            @Override
            public int size() {
                return entries.size();
            }
        };
    }
}
