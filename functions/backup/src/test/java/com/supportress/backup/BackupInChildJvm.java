package com.supportress.backup;

import com.supportress.emulator.SampleEvents;
import com.supportress.shared.schedule.ScheduleEvent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A backup function's JVM in the benchmark, started with the heap Lambda would allow and configured from
 * its environment like in Lambda (no-argument handler constructors). {@code daily} runs the daily handler
 * once; {@code finish RUN} runs finisher invocations, as its schedule would, until the run is finished;
 * {@code restore TABLE RUN} restores a table by import. Prints KEY value lines: seconds, peak RSS.
 */
public final class BackupInChildJvm {

    private BackupInChildJvm() {
    }

    public static void main(String[] args) throws Exception {
        ScheduleEvent tick = SampleEvents.load("backup/finisher-schedule.json", ScheduleEvent.class);
        long start = System.nanoTime();
        switch (args[0]) {
            case "daily" -> {
                try (BackupHandler handler = new BackupHandler()) {
                    start = System.nanoTime();
                    System.out.println("RUN_ID " + handler.handleRequest(tick, null).runId());
                }
            }
            case "finish" -> {
                int invocations = 0;
                double busy = 0;
                try (BackupFinisherHandler handler = new BackupFinisherHandler()) {
                    start = System.nanoTime();
                    while (true) {
                        long invocation = System.nanoTime();
                        BackupFinisher.Report report = handler.handleRequest(tick, null);
                        busy += (System.nanoTime() - invocation) / 1e9;
                        invocations++;
                        if (report.runs().stream().anyMatch(r -> r.runId().equals(args[1]) && r.finished())) {
                            System.out.println("TABLES " + report.runs().stream().filter(r -> r.runId().equals(args[1])).findFirst().orElseThrow().tables());
                            break;
                        }
                        if (Duration.ofNanos(System.nanoTime() - start).toMinutes() > 30) {
                            throw new IllegalStateException("run " + args[1] + " did not finish: " + report);
                        }
                        // The schedule's next invocation; here sooner than ten minutes.
                        Thread.sleep(1_000);
                    }
                }
                System.out.println("INVOCATIONS " + invocations);
                System.out.println("BUSY_SECONDS " + busy);
            }
            case "restore" -> {
                try (BackupRestoreHandler handler = new BackupRestoreHandler()) {
                    start = System.nanoTime();
                    RestoreService.RestoreReport report = handler.handleRequest(new RestoreInvocation(args[1], args[2], null, null, null), null);
                    System.out.println("RESTORED " + report.restoredItems() + " " + report.method() + " " + report.status());
                }
            }
            default -> throw new IllegalArgumentException("daily, finish RUN or restore TABLE RUN, not " + args[0]);
        }
        System.out.println("SECONDS " + (System.nanoTime() - start) / 1e9);
        System.out.println("PEAK_RSS_MIB " + peakRssMib());
        System.out.println("MAX_HEAP_MIB " + Runtime.getRuntime().maxMemory() / 1_048_576);
    }

    static double peakRssMib() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        return -1;
    }
}
