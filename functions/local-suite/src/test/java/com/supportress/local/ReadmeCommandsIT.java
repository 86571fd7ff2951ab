package com.supportress.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.supportress.billing.SendSampleEvents;
import com.supportress.emulator.Emulator;
import com.supportress.emulator.SamTemplate;
import com.supportress.incident.IncidentCli;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Integration tier: every command of README.md's shell blocks, as a new user types them, against the local suite
 * stood up in this JVM on its own moto (what {@code ./mvnw -Plocal} runs in the reader's other terminal, on a free port
 * instead of 3000). The commands run in order in one bash session, as in one terminal, so a variable set by one
 * ({@code TOKEN=...}) is there for the next; {@code 127.0.0.1:3000} becomes the suite's port, what the suite prints
 * at start fills {@code <emulator-port>}, {@code <user-pool-id>} and {@code <app-client-id>}, and any other
 * {@code <name>} is the field of that name in the last JSON a command printed ({@code <uploadId>}, {@code <url>}).
 * Bash runs in a scratch folder that links the repository's files. A command fails on a non-zero exit status or
 * when curl got a 5xx or no answer.
 *
 * <p>{@code ./mvnw -Plocal -Dinvoke=...} runs in-process through LocalSuite's invoke (the profile's main class and
 * classpath), and the billing tool and the team's CLI run in-process too: a real Maven call would rebuild the very jars
 * this JVM and the running suite load their classes from. What cannot run here (a block for an AWS account, the Stripe
 * CLI, LocalStack, the test command itself, minutes-long benchmarks) is skipped by an explicit rule with its reason,
 * and a {@code ./mvnw} command no rule knows fails. The treatment of every command is written to
 * target/readme-commands.md.
 */
class ReadmeCommandsIT {

    private enum Treatment { BASH, INVOKE_IN_PROCESS, CLI_IN_PROCESS, BILLING_TOOL_IN_PROCESS, SKIP, NO_RULE }

    private record Rule(Treatment treatment, Predicate<List<String>> matches, String why) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PLACEHOLDER = Pattern.compile("<([A-Za-z][A-Za-z0-9-]*)>");
    // The AWS CLI called for an account: a command line with an aws call and no --endpoint-url.
    private static final Pattern AWS_ITSELF = Pattern.compile("(^|[\\s;(|{])aws\\s+[a-z]");
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);

    private static final Rule AWS_ACCOUNT = new Rule(Treatment.SKIP, words -> true,
            "its block calls AWS itself (aws without --endpoint-url): needs an AWS account");

    /** The first rule that matches a command's words (variable assignments before the program left out) decides. */
    private static final List<Rule> RULES = List.of(
            new Rule(Treatment.INVOKE_IN_PROCESS, mvnw(args -> args.contains("-Plocal") && args.stream().anyMatch(a -> a.startsWith("-Dinvoke="))),
                    "through LocalSuite's invoke in this JVM: the -Plocal profile's main class with its classpath"),
            new Rule(Treatment.SKIP, mvnw(args -> args.contains("-Plocal")),
                    "serves until Ctrl-C: this check stands the same suite up in-process (LocalSuite.start) and runs the other commands against it"),
            new Rule(Treatment.SKIP, mvnw(args -> args.contains("verify")), "the test command: this check runs inside it"),
            new Rule(Treatment.BILLING_TOOL_IN_PROCESS, mvnw(args -> args.contains("-Pbilling-tool") && args.stream().noneMatch(a -> a.startsWith("-Dbilling.tool="))),
                    "the profile's SendSampleEvents in this JVM, with the -Dbilling.args and AWS_ENDPOINT_URL of the command"),
            new Rule(Treatment.CLI_IN_PROCESS, mvnw(args -> args.contains("-Pincident-cli")),
                    "the team's CLI (the profile's IncidentCli) in this JVM, with the -Dcli words and SUPPORTRESS_TOKEN as the bash session has them"),
            new Rule(Treatment.SKIP, mvnw(args -> args.contains("-Pupload-benchmarks")), "a benchmark of minutes, run on demand (README, Benchmarks)"),
            new Rule(Treatment.SKIP, mvnw(args -> args.size() >= 2 && args.subList(0, 2).equals(List.of("-DskipTests", "package"))),
                    "builds the deployment zips, which the build running this check has just built (and deploys them)"),
            new Rule(Treatment.NO_RULE, mvnw(args -> true), "no rule for this ./mvnw command: run it in-process, for real, or skip it with a reason here"),
            new Rule(Treatment.SKIP, program("sam"), "needs the SAM CLI and an AWS account"),
            new Rule(Treatment.SKIP, program("stripe"), "needs the Stripe CLI and a Stripe account"),
            new Rule(Treatment.SKIP, program("localstack"), "LocalStack is not installed here; moto stands in for it"),
            new Rule(Treatment.SKIP, words -> words.size() > 1 && words.get(0).matches("(.*/)?pip3?") && words.get(1).equals("install"),
                    "installs the Python tools, which this machine has (.ci/run installs what a fresh one lacks)"),
            new Rule(Treatment.SKIP, words -> words.stream().anyMatch(word -> word.contains(".venvs/supportress")),
                    "sets up a virtualenv for a machine whose pip refuses the system Python; this machine's Python has the tools"),
            new Rule(Treatment.BASH, words -> true, "in bash"));

    private final Path root = SamTemplate.repositoryRoot();

    @Test
    void everyCommandOfTheReadmeWorksAsWritten() throws Exception {
        Path work = Files.createTempDirectory("readme-commands");
        try {
            linkRepository(work);
            runEveryCommand(work);
        } finally {
            deleteScratch(work);
        }
    }

    private void runEveryCommand(Path work) throws Exception {
        List<String> failures = new ArrayList<>();
        List<String> report = new ArrayList<>(List.of("| README line | command | treatment |", "| --- | --- | --- |"));
        try (OwnEmulator emulator = OwnEmulator.start();
             LocalSuite.Running suite = LocalSuite.start(emulator.endpoint(), freePort(), Map.of());
             BashSession bash = new BashSession(work)) {
            Map<String, String> printed = new HashMap<>(printedBySuite(suite, emulator));
            for (ShellBlocks.Block block : ShellBlocks.parse(Files.readAllLines(root.resolve("README.md")))) {
                // A block for the reader's own AWS account is skipped whole: its later lines use what its AWS calls return.
                boolean needsAws = block.commands().stream().anyMatch(command -> AWS_ITSELF.matcher(command.text()).find()
                        && !command.text().contains("--endpoint-url"));
                for (ShellBlocks.Command command : block.commands()) {
                    String where = "README.md:" + command.line() + " (```bash block at line " + block.line() + ") `"
                            + command.text().lines().findFirst().orElse("") + "`";
                    Rule rule = needsAws ? AWS_ACCOUNT : RULES.stream().filter(r -> r.matches().test(program(command.words()))).findFirst().orElseThrow();
                    report.add("| " + command.line() + " | `" + command.text().replace("\n", " ").replace("|", "\\|") + "` | "
                            + rule.treatment() + ": " + rule.why() + " |");
                    if (rule.treatment() == Treatment.SKIP) {
                        continue;
                    }
                    if (rule.treatment() == Treatment.NO_RULE) {
                        failures.add(where + ": " + rule.why());
                        continue;
                    }
                    Optional<String> text = substitute(command.text(), suite, printed, where, failures);
                    if (text.isEmpty()) {
                        continue;
                    }
                    String output = switch (rule.treatment()) {
                        case BASH -> bash(bash, text.get(), where, failures);
                        case INVOKE_IN_PROCESS -> invokeInProcess(new ShellBlocks.Command(command.line(), text.get()).words(), where, failures);
                        case CLI_IN_PROCESS -> incidentCli(bash, new ShellBlocks.Command(command.line(), text.get()).words(), suite, where, failures);
                        case BILLING_TOOL_IN_PROCESS -> billingTool(new ShellBlocks.Command(command.line(), text.get()).words(), where, failures);
                        default -> throw new IllegalStateException(rule.treatment().name());
                    };
                    remember(output, printed);
                }
            }
        }
        Files.writeString(root.resolve("functions/local-suite/target/readme-commands.md"), String.join("\n", report) + "\n");
        assertTrue(failures.isEmpty(), "README commands that do not work as written:\n" + String.join("\n\n", failures));
    }

    /** What the suite prints when it starts and README tells the reader to copy: {@code <emulator-port>}, the user pool. */
    private static Map<String, String> printedBySuite(LocalSuite.Running suite, OwnEmulator emulator) {
        Map<String, String> printed = new HashMap<>(Map.of("emulator-port", Integer.toString(emulator.endpoint().getPort())));
        if (suite.stack().deploys("TenantUserPool")) {
            printed.put("user-pool-id", suite.stack().refOf("TenantUserPool"));
            printed.put("app-client-id", suite.stack().refOf("TenantUserPoolClient"));
        }
        return printed;
    }

    private static String bash(BashSession bash, String command, String where, List<String> failures) throws Exception {
        BashSession.Result result = bash.run(command, COMMAND_TIMEOUT);
        List<Integer> failed = result.httpStatuses().stream().filter(status -> status >= 500 || status == 0).toList();
        if (result.exitStatus() != 0 || !failed.isEmpty()) {
            failures.add(where + ": exit status " + result.exitStatus() + (failed.isEmpty() ? "" : ", HTTP " + failed) + "\n" + tail(result.output()));
        }
        return result.output();
    }

    /** `[AWS_ENDPOINT_URL=...] ./mvnw ... -Plocal -Dinvoke="<LogicalId> <file>"`, on that emulator or this JVM's own. */
    private String invokeInProcess(List<String> words, String where, List<String> failures) throws Exception {
        Map<String, String> variables = assignments(words);
        if (!variables.keySet().stream().allMatch("AWS_ENDPOINT_URL"::equals)) {
            failures.add(where + ": an in-process invoke takes AWS_ENDPOINT_URL only, not " + variables.keySet());
            return "";
        }
        String[] invoke = words.stream().filter(w -> w.startsWith("-Dinvoke=")).findFirst().orElseThrow()
                .substring("-Dinvoke=".length()).strip().split("\\s+");
        if (invoke.length != 2) {
            failures.add(where + ": -Dinvoke takes \"<FunctionLogicalId> <event file>\"");
            return "";
        }
        URI endpoint = Optional.ofNullable(variables.get("AWS_ENDPOINT_URL")).map(URI::create).orElseGet(Emulator::endpoint);
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int status;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            status = LocalSuite.invoke(endpoint, invoke[0], root.resolve(invoke[1]), Map.of(), out);
        } catch (RuntimeException e) {
            failures.add(where + ": " + e);
            return "";
        }
        String printed = output.toString(StandardCharsets.UTF_8);
        if (status != 0) {
            failures.add(where + ": exit status " + status + "\n" + tail(printed));
        }
        return printed;
    }

    /**
     * `./mvnw ... -Pincident-cli -Dcli="..."`: IncidentCli in this JVM against the suite, each Maven run of the profile
     * taking half a minute. Its words and SUPPORTRESS_TOKEN are expanded by the bash session, as the shell would.
     */
    private static String incidentCli(BashSession bash, List<String> words, LocalSuite.Running suite, String where,
                                      List<String> failures) throws Exception {
        String cli = words.stream().filter(w -> w.startsWith("-Dcli=")).findFirst().orElseThrow().substring("-Dcli=".length());
        List<String> args = bash.run("printf '%s\\n' " + cli, COMMAND_TIMEOUT).output().lines().toList();
        String token = bash.run("printf '%s\\n' \"$SUPPORTRESS_TOKEN\"", COMMAND_TIMEOUT).output().strip();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int status;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            status = IncidentCli.run(args.toArray(String[]::new), "http://127.0.0.1:" + suite.port(), token, out, out);
        }
        String printed = output.toString(StandardCharsets.UTF_8);
        if (status != 0) {
            failures.add(where + ": exit status " + status + "\n" + tail(printed));
        }
        return printed;
    }

    /** `[AWS_ENDPOINT_URL=...] ./mvnw ... -Pbilling-tool [-Dbilling.args=<base URL>]`: SendSampleEvents in this JVM. */
    private static String billingTool(List<String> words, String where, List<String> failures) throws Exception {
        String[] args = words.stream().filter(w -> w.startsWith("-Dbilling.args=")).map(w -> w.substring("-Dbilling.args=".length()))
                .flatMap(value -> Arrays.stream(value.strip().split("\\s+"))).filter(arg -> !arg.isEmpty()).toArray(String[]::new);
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int status;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            status = SendSampleEvents.run(args, assignments(words), out);
        } catch (IOException | RuntimeException e) {
            failures.add(where + ": " + e);
            return "";
        }
        String printed = output.toString(StandardCharsets.UTF_8);
        if (status != 0) {
            failures.add(where + ": exit status " + status + "\n" + tail(printed));
        }
        return printed;
    }

    /** The command with the suite's port and what it or earlier commands printed filled in; empty (and a failure) for an unknown placeholder. */
    private static Optional<String> substitute(String command, LocalSuite.Running suite, Map<String, String> printed,
                                               String where, List<String> failures) {
        String text = command.replace("127.0.0.1:3000", "127.0.0.1:" + suite.port()).replace("localhost:3000", "localhost:" + suite.port());
        Matcher placeholders = PLACEHOLDER.matcher(text);
        StringBuilder filled = new StringBuilder();
        while (placeholders.find()) {
            String value = printed.get(placeholders.group(1));
            if (value == null) {
                failures.add(where + ": neither the suite nor an earlier command printed a value for " + placeholders.group());
                return Optional.empty();
            }
            placeholders.appendReplacement(filled, Matcher.quoteReplacement(value));
        }
        placeholders.appendTail(filled);
        return Optional.of(filled.toString());
    }

    /** Every top-level text or number field of the JSON objects a command printed, one per line, the latest kept. */
    private static void remember(String output, Map<String, String> printed) {
        for (String line : output.lines().map(String::strip).filter(l -> l.startsWith("{")).toList()) {
            try {
                JsonNode json = JSON.readTree(line);
                json.properties().forEach(field -> {
                    if (field.getValue().isValueNode()) {
                        printed.put(field.getKey(), field.getValue().asText());
                    }
                });
            } catch (IOException notJson) {
                // output that merely starts with a brace
            }
        }
    }

    private static Predicate<List<String>> mvnw(Predicate<List<String>> arguments) {
        return words -> !words.isEmpty() && words.get(0).equals("./mvnw") && arguments.test(words.subList(1, words.size()));
    }

    private static Predicate<List<String>> program(String name) {
        return words -> !words.isEmpty() && words.get(0).equals(name);
    }

    /** The words from the program on, without the variable assignments before it. */
    private static List<String> program(List<String> words) {
        int first = 0;
        while (first < words.size() && words.get(first).matches("[A-Za-z_][A-Za-z0-9_]*=.*")) {
            first++;
        }
        return words.subList(first, words.size());
    }

    private static Map<String, String> assignments(List<String> words) {
        Map<String, String> variables = new HashMap<>();
        for (String word : words.subList(0, words.size() - program(words).size())) {
            variables.put(word.substring(0, word.indexOf('=')), word.substring(word.indexOf('=') + 1));
        }
        return variables;
    }

    /** The end of a command's output, without stack frames (Maven's own ones would hide the cause). */
    private static String tail(String output) {
        List<String> lines = output.lines().filter(line -> !line.matches("\\s+at .*")).toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    /** Commands run in a scratch folder that shows the repository's files, so what they write stays out of the repository. */
    private void linkRepository(Path work) throws IOException {
        try (var entries = Files.list(root)) {
            for (Path entry : entries.filter(entry -> !entry.getFileName().toString().startsWith(".")).toList()) {
                Files.createSymbolicLink(work.resolve(entry.getFileName()), entry);
            }
        }
    }

    /** Deletes the scratch folder: the links themselves, never what they point to (Files.walk follows no link). */
    private static void deleteScratch(Path work) throws IOException {
        try (var paths = Files.walk(work)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
