package com.supportress.shared.ids;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unit tier: id formats and uniqueness. */
class UnguessableIdsTest {

    @Test
    void base32IdsCarry160BitsAndDoNotRepeat() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = UnguessableIds.base32("inc_");
            assertTrue(id.matches("inc_[a-z2-7]{32}"), id);
            ids.add(id);
        }
        assertEquals(10_000, ids.size());
    }

    @Test
    void hexIdsCarry160BitsAndDoNotRepeat() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = UnguessableIds.hex("upl_");
            assertTrue(id.matches("upl_[0-9a-f]{40}"), id);
            ids.add(id);
        }
        assertEquals(10_000, ids.size());
    }
}
