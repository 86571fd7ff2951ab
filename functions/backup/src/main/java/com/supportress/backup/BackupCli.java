package com.supportress.backup;

import com.supportress.shared.config.FunctionApplication;
import com.supportress.shared.config.FunctionEnvironment;
import com.supportress.shared.metrics.EmbeddedMetrics;
import io.micronaut.context.ApplicationContext;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The operator's command line, configured by the same environment variables as the functions
 * (BACKUP_BUCKET, BACKUP_REPLICA_BUCKET, BACKUP_WORK_BUCKET, BACKUP_BUCKET_OWNER, BACKUP_REPLICA_REGION,
 * AWS_REGION, AWS_ENDPOINT_URL...):
 * <pre>
 *   list    [--region R]
 *   restore --table T [--backup ID] [--into TABLE] [--force] [--region R]
 *   verify  [--backup ID] [--region R]
 * </pre>
 * Exit status 0 on success, 1 when a restore or verify failed, 2 on a refused request or bad usage.
 */
public final class BackupCli {

    private static final String USAGE = """
            usage: list    [--region R]
                   restore --table T [--backup ID] [--into TABLE] [--force] [--region R]
                   verify  [--backup ID] [--region R]""";
    /** The CLI waits for DynamoDB as long as it takes; an operator stops it with Ctrl-C (the import goes on). */
    private static final Duration PATIENCE = Duration.ofDays(2);
    /**
     * How long the CLI holds a proof between checkpoints: its lease is this plus a margin, so a proof left by a
     * stopped CLI is taken over by the schedule minutes later.
     */
    private static final Duration PROOF_STEP = Duration.ofMinutes(5);
    /**
     * No log agent turns an operator's terminal into CloudWatch metrics, so the proof's EMF lines are not printed: the
     * CLI prints the result itself, and a proof it leaves unfinished is counted by the verify function that ends it.
     */
    private static final EmbeddedMetrics UNPUBLISHED_METRICS = new EmbeddedMetrics("Supportress/backup-cli", line -> { }, Clock.systemUTC());

    private BackupCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, FunctionEnvironment.system(), System.out, System.err));
    }

    static int run(String[] args, FunctionEnvironment environment, PrintStream out, PrintStream err) {
        Map<String, String> options;
        try {
            options = options(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return 2;
        }
        Optional<String> region = Optional.ofNullable(options.get("region"));
        Optional<String> backup = Optional.ofNullable(options.get("backup"));
        try (ApplicationContext context = FunctionApplication.builder(environment).singletons(UNPUBLISHED_METRICS).start()) {
            switch (args[0]) {
                case "list" -> {
                    list(context, region, out);
                    return 0;
                }
                case "restore" -> {
                    var report = context.getBean(RestoreService.class).restore(new RestoreService.RestoreRequest(options.get("table"),
                            backup, Optional.ofNullable(options.get("into")), options.containsKey("force"), region), Deadline.after(PATIENCE), out::println);
                    out.println("restored " + report.restoredItems() + " items (manifest: " + report.manifestItems() + ") into "
                            + report.targetTable() + " by " + report.method());
                    return 0;
                }
                default -> {
                    return verify(context.getBean(BackupProof.class), region, backup, out);
                }
            }
        } catch (RestoreRefusedException e) {
            err.println("refused: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            err.println("failed: " + e.getMessage());
            return 1;
        }
    }

    /** Every run, newest first, with each table's outcome: from the run's manifest, or its checkpoint while it is being finished. */
    private static void list(ApplicationContext context, Optional<String> region, PrintStream out) {
        BackupStores stores = context.getBean(BackupStores.class);
        BackupStore store = region.map(r -> stores.inRegion(r).orElseThrow(() -> new RestoreRefusedException("no backups are kept in region " + r)))
                .orElse(stores.primary());
        List<String> runIds = new ArrayList<>(store.runIds());
        stores.work().keys("state/").stream().map(k -> k.substring("state/".length(), k.length() - ".json".length()))
                .filter(id -> !runIds.contains(id)).forEach(runIds::add);
        runIds.sort(Comparator.reverseOrder());
        for (String runId : runIds) {
            Optional<Manifest> manifest = store.manifest(runId);
            if (manifest.isPresent()) {
                out.println(runId + "  complete");
                manifest.get().tables().forEach(t -> out.println("    " + t.table() + "  " + t.status()
                        + (t.itemCount() == null ? "" : "  " + t.itemCount() + " items") + (t.error() == null ? "" : "  " + t.error())));
                continue;
            }
            Optional<RunState> state = stores.work().read(WorkBucket.stateKey(runId), RunState.class).map(WorkBucket.Versioned::value);
            out.println(runId + (state.isPresent() && !state.get().finished() ? "  in progress" : "  incomplete (no manifest)"));
            state.ifPresent(s -> s.tables().forEach(t -> out.println("    " + t.table() + "  " + t.status()
                    + (t.error() == null ? "" : "  " + t.error()))));
        }
    }

    /** A proof run to its end in this process: DynamoDB imports, then both readings, polling every few seconds. */
    private static int verify(BackupProof proofs, Optional<String> region, Optional<String> backup, PrintStream out) {
        BackupProof.Report report = proofs.start(region, backup, Deadline.after(PROOF_STEP));
        out.println("proof " + report.proofId() + " of run " + report.runId() + " in " + report.region());
        while (!report.finished()) {
            RestoreService.sleep(5_000);
            String proofId = report.proofId();
            report = proofs.advance(proofId, Deadline.after(PROOF_STEP)).or(() -> proofs.result(proofId)).orElseThrow();
        }
        report.tables().forEach(t -> out.println((t.status() == ProofState.ProofStatus.PASSED ? "OK   " : "FAIL ") + t));
        return report.passed() ? 0 : 1;
    }

    private static final Map<String, Set<String>> COMMANDS = Map.of(
            "list", Set.of("region"),
            "restore", Set.of("table", "backup", "into", "force", "region"),
            "verify", Set.of("backup", "region"));

    private static Map<String, String> options(String[] args) {
        if (args.length == 0 || !COMMANDS.containsKey(args[0])) {
            throw new IllegalArgumentException(args.length == 0 ? "no command given" : "unknown command " + args[0]);
        }
        Set<String> allowed = COMMANDS.get(args[0]);
        Map<String, String> options = new HashMap<>();
        List<String> rest = List.of(args).subList(1, args.length);
        for (int i = 0; i < rest.size(); i++) {
            String arg = rest.get(i);
            String name = arg.startsWith("--") ? arg.substring(2) : "";
            if (!allowed.contains(name)) {
                throw new IllegalArgumentException("unknown option " + arg + " for " + args[0]);
            }
            if (name.equals("force")) {
                options.put(name, "true");
            } else if (i + 1 < rest.size()) {
                options.put(name, rest.get(++i));
            } else {
                throw new IllegalArgumentException(arg + " needs a value");
            }
        }
        if (args[0].equals("restore") && !options.containsKey("table")) {
            throw new IllegalArgumentException("restore needs --table");
        }
        return options;
    }
}
