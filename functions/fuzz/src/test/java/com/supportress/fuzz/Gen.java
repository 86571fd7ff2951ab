package com.supportress.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * A generator of random values: the handful of combinators the fuzz suite needs, over a seeded {@link Random} so
 * that every case can be replayed from its seed (printed with any failure). Plain Java on purpose: the generators are
 * small, and the suite then depends on nothing beyond JUnit.
 */
@FunctionalInterface
interface Gen<T> {

    T next(Random random);

    default <R> Gen<R> map(Function<? super T, ? extends R> mapper) {
        return random -> mapper.apply(next(random));
    }

    default <R> Gen<R> flatMap(Function<? super T, Gen<R>> mapper) {
        return random -> mapper.apply(next(random)).next(random);
    }

    /** This generator's value, or null with the given probability. */
    default Gen<T> orNull(double probability) {
        return random -> random.nextDouble() < probability ? null : next(random);
    }

    /** A list of minSize to maxSize values of this generator. */
    default Gen<List<T>> list(int minSize, int maxSize) {
        return random -> {
            int size = minSize + random.nextInt(maxSize - minSize + 1);
            List<T> values = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                values.add(next(random));
            }
            return values;
        };
    }

    static <T> Gen<T> just(T value) {
        return random -> value;
    }

    @SafeVarargs
    static <T> Gen<T> of(T... values) {
        return of(List.of(values));
    }

    static <T> Gen<T> of(List<T> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("nothing to choose from");
        }
        List<T> choices = List.copyOf(values);
        return random -> choices.get(random.nextInt(choices.size()));
    }

    @SafeVarargs
    static <T> Gen<T> oneOf(Gen<? extends T>... generators) {
        return random -> generators[random.nextInt(generators.length)].next(random);
    }

    /** One of the generators, each chosen in proportion to its weight. */
    static <T> Gen<T> weighted(List<Weighted<T>> choices) {
        int total = choices.stream().mapToInt(Weighted::weight).sum();
        return random -> {
            int pick = random.nextInt(total);
            for (Weighted<T> choice : choices) {
                pick -= choice.weight();
                if (pick < 0) {
                    return choice.generator().next(random);
                }
            }
            throw new AssertionError("weights changed");
        };
    }

    record Weighted<T>(int weight, Gen<? extends T> generator) {
    }

    static Gen<Integer> between(int min, int max) {
        return random -> min + random.nextInt(max - min + 1);
    }

    static Gen<Long> longs() {
        return Random::nextLong;
    }

    static Gen<Boolean> coin() {
        return Random::nextBoolean;
    }

    /** Random bytes, up to maxSize of them. */
    static Gen<byte[]> bytes(int maxSize) {
        return random -> {
            byte[] bytes = new byte[random.nextInt(maxSize + 1)];
            random.nextBytes(bytes);
            return bytes;
        };
    }

    /** Strings of up to maxLength characters drawn from the given ones. */
    static Gen<String> strings(String alphabet, int minLength, int maxLength) {
        return random -> {
            int length = minLength + random.nextInt(maxLength - minLength + 1);
            StringBuilder text = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            return text.toString();
        };
    }

    /** Strings of up to maxLength UTF-16 units of any kind, lone surrogates and controls included. */
    static Gen<String> anyChars(int maxLength) {
        return random -> {
            int length = random.nextInt(maxLength + 1);
            StringBuilder text = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                // Mostly ASCII and the first planes, where parsers have the most rules to break.
                text.append((char) (random.nextInt(4) == 0 ? random.nextInt(Character.MAX_VALUE + 1) : random.nextInt(0x800)));
            }
            return text.toString();
        };
    }
}
