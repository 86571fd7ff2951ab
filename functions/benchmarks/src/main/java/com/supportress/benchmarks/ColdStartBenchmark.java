package com.supportress.benchmarks;

import com.supportress.emulator.EmulatedStack;
import com.supportress.emulator.LocalFunction;
import com.supportress.emulator.ParameterOverrides;
import com.supportress.emulator.SamTemplate;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * For every function of template.yaml with Metadata.Benchmark, in a fresh JVM per run: process start to the
 * end of the first invocation (init + first call) of its real deployment zip against the emulator, the
 * second (warm) invocation, peak RSS, and the zip's size; the same for the plain-Java baseline making the
 * same SDK calls; medians, and each function's cold-start ratio to its baseline. Prints the table and
 * writes it to functions/benchmarks/target/cold-start.md.
 */
public final class ColdStartBenchmark {

    // What the child JVM needs besides the function's own zip: the runner class and the Lambda runtime's serializer.
    private static final List<String> RUNNER_CLASSPATH = List.of("benchmarks", "emulator-", "aws-lambda-java-serialization-");

    record Run(double coldMillis, double warmMillis, double peakRssMb) {
    }

    record Result(String name, double zipMb, Run measured, Run baseline) {
        double ratio() {
            return measured.coldMillis() / baseline.coldMillis();
        }
    }

    private ColdStartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Map<String, String> overrides = ParameterOverrides.parse(System.getenv().getOrDefault("PARAMETER_OVERRIDES", "ReportsPerSourcePerHour=1000"));
        EmulatedStack stack = EmulatedStack.create("bench" + UUID.randomUUID().toString().substring(0, 6), overrides);
        Path root = SamTemplate.repositoryRoot();
        Path work = root.resolve("functions/benchmarks/target/cold-start");
        List<Result> results = new ArrayList<>();
        for (LocalFunction function : LocalFunction.all(stack.template())) {
            Map<String, Object> benchmark = SamTemplate.mapAt(SamTemplate.mapAt(stack.template().resources().get(function.logicalId()), "Metadata"), "Benchmark");
            if (benchmark.isEmpty()) {
                continue;
            }
            // CodeUri is the directory Maven assembles; the zip beside it holds the same entries.
            Path zip = root.resolve(stack.template().functionProperties(function.logicalId()).get("CodeUri") + ".zip");
            Path libs = unzip(zip, work.resolve(function.logicalId()));
            Path event = root.resolve((String) benchmark.get("Event"));
            Map<String, String> environment = new LinkedHashMap<>(stack.environment(function.logicalId()).variables());
            @SuppressWarnings("unchecked")
            List<String> calls = (List<String>) benchmark.getOrDefault("BaselineCalls", List.of());
            environment.put("BASELINE_CALLS", String.join(" ", calls));
            List<Run> functionRuns = new ArrayList<>();
            List<Run> baselineRuns = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                // Interleaved, so drift on a busy machine affects both sides alike.
                functionRuns.add(runOnce(libs, function.handlerClass(), event, environment));
                baselineRuns.add(runOnce(libs, BaselineHandler.class.getName(), root.resolve("events/benchmarks/empty.json"), environment));
            }
            Result result = new Result(function.logicalId(), Files.size(zip) / 1_048_576.0, median(functionRuns), median(baselineRuns));
            System.out.printf("%s: cold %.0f ms (baseline %.0f ms, ratio %.2f), warm %.1f ms, peak RSS %.0f MB, zip %.1f MB%n",
                    result.name(), result.measured().coldMillis(), result.baseline().coldMillis(), result.ratio(),
                    result.measured().warmMillis(), result.measured().peakRssMb(), result.zipMb());
            results.add(result);
        }
        String table = table(results, runs);
        System.out.println();
        System.out.println(table);
        Files.createDirectories(work);
        Files.writeString(work.resolveSibling("cold-start.md"), table);
        System.out.println("written to " + work.resolveSibling("cold-start.md"));
        System.exit(0);
    }

    private static Run runOnce(Path libs, String handlerClass, Path event, Map<String, String> environment) throws Exception {
        String classpath = Stream.concat(Stream.of(libs.resolve("lib").toString() + File.separator + "*"), runnerClasspath().stream())
                .reduce((a, b) -> a + File.pathSeparator + b).orElseThrow();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", classpath, InvokeOnce.class.getName(), handlerClass, event.toString())
                .redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(environment);
        long start = System.nanoTime();
        Process process = builder.start();
        double cold = -1;
        double warm = -1;
        double rss = -1;
        List<String> output = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.equals("FIRST_INVOCATION_DONE")) {
                    cold = (System.nanoTime() - start) / 1e6;
                } else if (line.startsWith("WARM_NANOS ")) {
                    warm = Long.parseLong(line.substring(11)) / 1e6;
                } else if (line.startsWith("PEAK_RSS_KB ")) {
                    rss = Long.parseLong(line.substring(12)) / 1024.0;
                } else {
                    output.add(line);
                }
            }
        }
        if (process.waitFor() != 0 || cold < 0) {
            throw new IllegalStateException(handlerClass + " failed:\n" + String.join("\n", output));
        }
        return new Run(cold, warm, rss);
    }

    private static List<String> runnerClasspath() {
        return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> RUNNER_CLASSPATH.stream().anyMatch(name -> Path.of(entry).getFileName().toString().startsWith(name)
                        || entry.contains(File.separator + name + File.separator)))
                .toList();
    }

    private static Path unzip(Path zip, Path target) throws IOException {
        if (Files.exists(target)) {
            try (Stream<Path> old = Files.walk(target)) {
                old.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                Path file = target.resolve(entry.getName()).normalize();
                if (!file.startsWith(target)) {
                    throw new IOException("zip entry outside its folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(file);
                } else {
                    Files.createDirectories(file.getParent());
                    Files.copy((InputStream) in, file, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return target;
    }

    private static Run median(List<Run> runs) {
        return new Run(median(runs.stream().mapToDouble(Run::coldMillis).toArray()),
                median(runs.stream().mapToDouble(Run::warmMillis).toArray()),
                median(runs.stream().mapToDouble(Run::peakRssMb).toArray()));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static String table(List<Result> results, int runs) {
        StringBuilder out = new StringBuilder("Medians of " + runs + " fresh JVMs per row, "
                + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors() + " cores, against the emulator.\n\n")
                .append("| function | cold: start to end of 1st call (ms) | baseline cold (ms) | ratio | warm 2nd call (ms) | baseline warm (ms) | peak RSS (MB) | baseline RSS (MB) | zip (MB) |\n")
                .append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Result r : results) {
            out.append(String.format("| %s | %.0f | %.0f | %.2f | %.1f | %.1f | %.0f | %.0f | %.1f |%n", r.name(),
                    r.measured().coldMillis(), r.baseline().coldMillis(), r.ratio(), r.measured().warmMillis(),
                    r.baseline().warmMillis(), r.measured().peakRssMb(), r.baseline().peakRssMb(), r.zipMb()));
        }
        return out.toString();
    }
}
