package com.supportress.local;

import com.supportress.emulator.EmulatedStack;
import com.supportress.emulator.TenantUsers;
import com.supportress.incident.IncidentCli;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Integration tier: the security team's CLI against the local suite's HTTP server (the triage routes behind the
 * emulated JWT authorizer) with a real team token: list, show, status and reply, and the refusals.
 */
class IncidentCliIT {

    private static EmulatedStack stack;
    private static LocalFunctions functions;
    private static LocalHttpServer server;
    private static String api;
    private static String teamToken;

    @BeforeAll
    static void start() throws Exception {
        stack = EmulatedStack.create(Map.of());
        functions = new LocalFunctions(stack);
        server = new LocalHttpServer(stack, functions, 0);
        api = "http://127.0.0.1:" + server.port();
        teamToken = new TenantUsers(stack).idTokenInGroup(stack.parameter("SecurityTeamGroup"));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        functions.close();
    }

    @Test
    void teamMemberListsShowsMovesAndRepliesFromTheCommandLine() throws Exception {
        HttpResponse<String> filed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api + "/incidents"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"reporterEmail\":\"cli@example.org\",\"category\":\"abuse\","
                        + "\"summary\":\"Spam from a tenant\",\"description\":\"details\"}")).build(), HttpResponse.BodyHandlers.ofString());
        Matcher id = Pattern.compile("inc_[a-z2-7]{32}").matcher(filed.body());
        assertTrue(id.find(), filed.body());

        Result list = cli("list", "--status", "received");
        assertEquals(0, list.status(), list.err());
        assertTrue(list.out().contains(id.group()) && list.out().contains("Spam from a tenant"), list.out());
        assertEquals(0, cli("status", id.group(), "triaging").status());
        Result reply = cli("reply", id.group(), "Thanks,", "we", "are", "on", "it.");
        assertEquals(0, reply.status(), reply.err());
        Result show = cli("show", id.group());
        assertTrue(show.out().contains("triaging") && show.out().contains("security-team: Thanks, we are on it.")
                && show.out().contains("status-changed by member-"), show.out());

        Result refused = cli("status", id.group(), "resolved");
        assertEquals(1, refused.status());
        assertTrue(refused.err().startsWith("409"), refused.err());
        assertEquals(2, cli("show").status());
        assertEquals(1, IncidentCli.run(new String[]{"list"}, api, "not-a-token", new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream())), "the authorizer refuses a bad token (401)");
    }

    private record Result(int status, String out, String err) {
    }

    private static Result cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = IncidentCli.run(args, api, teamToken, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
