package com.supportress.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Runs a property over generated cases. Case {@code i} of a run draws from {@code new Random(seed + i)}, so a failure
 * names the seed and the case that reproduce it: {@code -Dfuzz.seed=<seed>} replays the run. The seed is new on every
 * run unless given; the number of cases is {@code fuzz.tries} (the pom sets it: a bounded number in {@code ./mvnw verify},
 * many more under {@code -Pfuzz}).
 */
final class Cases {

    private Cases() {
    }

    static int tries() {
        return Integer.getInteger("fuzz.tries", 100);
    }

    static <T> void check(String property, Gen<T> cases, Consumer<T> promise) {
        check(property, tries(), cases, promise);
    }

    static <T> void check(String property, int tries, Gen<T> cases, Consumer<T> promise) {
        long seed = Long.getLong("fuzz.seed", new Random().nextLong());
        for (int i = 0; i < tries; i++) {
            T value = cases.next(new Random(seed + i));
            try {
                promise.accept(value);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(property + " failed on case " + i + " of seed " + seed
                        + " (replay: -Dfuzz.seed=" + seed + "): " + describe(value), e);
            }
        }
        System.out.println(property + ": " + tries + " cases passed (seed " + seed + ")");
    }

    private static String describe(Object value) {
        String text = value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
        return text.length() > 500 ? text.substring(0, 500) + "..." : text;
    }
}
