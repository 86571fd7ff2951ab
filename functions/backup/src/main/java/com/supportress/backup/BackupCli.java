package com.supportress.backup;

import com.supportress.shared.config.FunctionApplication;
import com.supportress.shared.config.FunctionEnvironment;
import io.micronaut.context.ApplicationContext;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The operator's command line, configured by the same environment variables as the functions
 * (BACKUP_BUCKET, BACKUP_REPLICA_BUCKET, BACKUP_REPLICA_REGION, AWS_REGION, AWS_ENDPOINT_URL...):
 * <pre>
 *   list    [--region R]
 *   restore --table T [--backup ID] [--into TABLE] [--force] [--region R]
 *   verify  [--backup ID]
 * </pre>
 * Exit status 0 on success, 1 when a restore or verify failed, 2 on a refused request or bad usage.
 */
public final class BackupCli {

    private static final String USAGE = """
            usage: list    [--region R]
                   restore --table T [--backup ID] [--into TABLE] [--force] [--region R]
                   verify  [--backup ID]""";

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
        try (ApplicationContext context = FunctionApplication.start(environment)) {
            RestoreService restore = context.getBean(RestoreService.class);
            BackupStores stores = context.getBean(BackupStores.class);
            switch (args[0]) {
                case "list" -> {
                    BackupStore store = Optional.ofNullable(options.get("region")).map(r -> stores.inRegion(r).orElseThrow(
                            () -> new RestoreRefusedException("no backups are kept in region " + r))).orElse(stores.primary());
                    store.snapshots().forEach(s -> out.println(s.id() + (s.complete() ? "  complete" : "  incomplete (no manifest)")));
                    return 0;
                }
                case "restore" -> {
                    var report = restore.restore(new RestoreService.RestoreRequest(options.get("table"),
                            Optional.ofNullable(options.get("backup")), Optional.ofNullable(options.get("into")),
                            options.containsKey("force"), Optional.ofNullable(options.get("region"))), out::println);
                    out.println("restored " + report.restoredItems() + " items (manifest: " + report.manifestItems() + ") into " + report.targetTable());
                    return 0;
                }
                default -> {
                    var report = restore.verify(Optional.ofNullable(options.get("backup")), out::println);
                    report.tables().forEach(t -> out.println((t.matches() ? "OK   " : "FAIL ") + t));
                    return report.matches() ? 0 : 1;
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

    private static final Map<String, Set<String>> COMMANDS = Map.of(
            "list", Set.of("region"),
            "restore", Set.of("table", "backup", "into", "force", "region"),
            "verify", Set.of("backup"));

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
