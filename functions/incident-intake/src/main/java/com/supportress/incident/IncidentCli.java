package com.supportress.incident;

import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.ObjectMapper;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The security team's command line, over the same triage API as everything else (never the tables): the API's base
 * URL in {@code SUPPORTRESS_API} (default the local suite, http://127.0.0.1:3000) and a team member's ID token in
 * {@code SUPPORTRESS_TOKEN}.
 * <pre>
 *   list   [--status S] [--category C] [--since T] [--until T] [--oldest] [--limit N] [--cursor C]
 *   show   ID
 *   status ID NEW_STATUS [--from S]
 *   reply  ID TEXT...
 *   note   ID TEXT...
 * </pre>
 * Exit status 0 on success, 1 when the API refused (a 4xx, its problem printed), 2 on bad usage, 3 when the API
 * could not be reached or failed.
 */
public final class IncidentCli {

    private static final String USAGE = """
            usage: list   [--status S] [--category C] [--since T] [--until T] [--oldest] [--limit N] [--cursor C]
                   show   ID
                   status ID NEW_STATUS [--from S]
                   reply  ID TEXT...
                   note   ID TEXT...
            environment: SUPPORTRESS_API (default http://127.0.0.1:3000), SUPPORTRESS_TOKEN (a security-team ID token)""";

    private final String api;
    private final String token;
    private final HttpClient http;
    private final PrintStream out;
    private final PrintStream err;
    private final ObjectMapper json = ObjectMapper.getDefault();

    IncidentCli(String api, String token, HttpClient http, PrintStream out, PrintStream err) {
        this.api = api.replaceAll("/+$", "");
        this.token = token;
        this.http = http;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv().getOrDefault("SUPPORTRESS_API", "http://127.0.0.1:3000"),
                System.getenv().getOrDefault("SUPPORTRESS_TOKEN", ""), System.out, System.err));
    }

    /** One command against the API at {@code api}, as the given team member; the exit status. */
    public static int run(String[] args, String api, String token, PrintStream out, PrintStream err) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        return new IncidentCli(api, token, http, out, err).run(args);
    }

    int run(String[] args) {
        List<String> positional = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--oldest")) {
                options.put("order", "oldest");
            } else if (args[i].startsWith("--") && i + 1 < args.length) {
                options.put(args[i].substring(2), args[++i]);
            } else {
                positional.add(args[i]);
            }
        }
        if (positional.isEmpty() || token.isBlank()) {
            err.println(token.isBlank() ? "SUPPORTRESS_TOKEN is not set" : "no command");
            err.println(USAGE);
            return 2;
        }
        try {
            return switch (positional.get(0)) {
                case "list" -> list(options);
                case "show" -> positional.size() == 2 ? show(positional.get(1)) : usage();
                case "status" -> positional.size() == 3 ? status(positional.get(1), positional.get(2), options.get("from")) : usage();
                case "reply", "note" -> positional.size() >= 3
                        ? write(positional.get(0).equals("reply") ? "replies" : "notes", positional.get(1), String.join(" ", positional.subList(2, positional.size())))
                        : usage();
                default -> usage();
            };
        } catch (IOException e) {
            err.println("cannot reach " + api + ": " + e.getMessage());
            return 3;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 3;
        }
    }

    private int list(Map<String, String> options) throws IOException, InterruptedException {
        Map<String, String> query = new LinkedHashMap<>(options);
        query.putIfAbsent("status", "received");
        String path = "/triage/reports?" + query.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return call("GET", path, null, page -> {
            for (JsonNode report : page.get("reports").values()) {
                out.printf("%s  %-14s %-18s %s  %s%n", text(report, "id"), text(report, "status"), text(report, "category"),
                        text(report, "receivedAt"), text(report, "summary"));
            }
            if (!page.get("next").isNull()) {
                out.println("next page: --cursor " + text(page, "next"));
            }
        });
    }

    private int show(String id) throws IOException, InterruptedException {
        return call("GET", "/triage/reports/" + id, null, report -> {
            out.println(text(report, "id") + "  " + text(report, "status") + "  " + text(report, "category") + "  received " + text(report, "receivedAt"));
            out.println("next: " + String.join(", ", values(report.get("next"))));
            JsonNode reporter = report.get("reporter");
            out.println("reporter: " + (reporter == null ? "(removed)" : text(reporter, "email") + " " + text(reporter, "name")));
            out.println("summary: " + text(report, "summary"));
            out.println("description:\n" + text(report, "description"));
            out.println("messages:");
            report.get("messages").values().forEach(m -> out.println("  " + text(m, "at") + " " + text(m, "from") + ": " + text(m, "text")));
            out.println("notes:");
            report.get("notes").values().forEach(n -> out.println("  " + text(n, "at") + " " + text(n, "by") + ": " + text(n, "text")));
            out.println("events:");
            report.get("events").values().forEach(e -> out.println("  " + text(e, "at") + " " + text(e, "type") + " by " + text(e, "by")
                    + (e.get("to") == null ? "" : (e.get("from") == null ? " -> " : " " + text(e, "from") + " -> ") + text(e, "to"))));
        });
    }

    private int status(String id, String to, String from) throws IOException, InterruptedException {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("status", to);
        if (from != null) {
            body.put("from", from);
        }
        return call("POST", "/triage/reports/" + id + "/status", json.writeValueAsString(body),
                result -> out.println(text(result, "id") + " is now " + text(result, "status")));
    }

    private int write(String kind, String id, String text) throws IOException, InterruptedException {
        return call("POST", "/triage/reports/" + id + "/" + kind, json.writeValueAsString(Map.of("text", text)),
                result -> out.println(kind.equals("replies") ? "reply sent to the reporter of " + id : "note added to " + id));
    }

    private interface Printer {
        void print(JsonNode body);
    }

    private int call(String method, String path, String body, Printer printer) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() >= 500) {
            err.println("the API failed: " + response.statusCode() + " " + new String(response.body(), StandardCharsets.UTF_8));
            return 3;
        }
        JsonNode answer = json.readValue(response.body(), JsonNode.class);
        if (response.statusCode() >= 400) {
            err.println(response.statusCode() + ": " + new String(response.body(), StandardCharsets.UTF_8));
            return 1;
        }
        printer.print(answer);
        return 0;
    }

    private int usage() {
        err.println(USAGE);
        return 2;
    }

    private static String text(JsonNode node, String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? "-" : value.isString() ? value.getStringValue() : value.toString();
    }

    private static List<String> values(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.values().forEach(value -> values.add(value.getStringValue()));
        return values;
    }
}
