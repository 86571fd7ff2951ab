package com.supportress.upload.ingest.benchmark;

/** How both upload benchmarks end: the SDK's and the emulator's threads would keep a failed run's JVM (and its moto) alive. */
final class BenchmarkRun {

    /** A benchmark's body. */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    private BenchmarkRun() {
    }

    static void exitAfter(Body body) {
        try {
            body.run();
            System.exit(0);
        } catch (Throwable failure) {
            failure.printStackTrace();
            System.exit(1);
        }
    }
}
