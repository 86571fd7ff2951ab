package com.supportress.incident;

import com.supportress.shared.http.ApiRequest;
import com.supportress.shared.http.ClientErrorException;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unit tier, no emulator: the workflow's rules (moves, tokens, the team's claim, list queries and cursors). */
class ResponseRulesTest {

    @Test
    void onlyTheWorkflowsMovesAreAllowedAndResolvedIsFinal() {
        Map<ReportStatus, Set<ReportStatus>> allowed = Map.of(
                ReportStatus.RECEIVED, EnumSet.of(ReportStatus.TRIAGING),
                ReportStatus.TRIAGING, EnumSet.of(ReportStatus.ACCEPTED, ReportStatus.DUPLICATE, ReportStatus.NOT_APPLICABLE),
                ReportStatus.ACCEPTED, EnumSet.of(ReportStatus.RESOLVED),
                ReportStatus.DUPLICATE, EnumSet.of(ReportStatus.RESOLVED),
                ReportStatus.NOT_APPLICABLE, EnumSet.of(ReportStatus.RESOLVED),
                ReportStatus.RESOLVED, EnumSet.noneOf(ReportStatus.class));
        for (ReportStatus from : ReportStatus.values()) {
            for (ReportStatus to : ReportStatus.values()) {
                assertEquals(allowed.get(from).contains(to), from.canMoveTo(to), from + " -> " + to);
            }
        }
        assertEquals(Optional.of(ReportStatus.NOT_APPLICABLE), ReportStatus.fromWire("not-applicable"));
        assertEquals(Optional.empty(), ReportStatus.fromWire("NOT_APPLICABLE"));
    }

    @Test
    void aSealedTokenOpensOnlyWithItsIdempotencyKeyAndReport() {
        String token = FollowUpTokens.newToken();
        String sealed = FollowUpTokens.seal(token, "key-1", "inc_a");

        assertFalse(sealed.contains(token));
        assertNotEquals(sealed, FollowUpTokens.seal(token, "key-1", "inc_a"), "a fresh nonce each time");
        assertEquals(Optional.of(token), FollowUpTokens.unseal(sealed, "key-1", "inc_a"));
        assertEquals(Optional.empty(), FollowUpTokens.unseal(sealed, "key-2", "inc_a"));
        assertEquals(Optional.empty(), FollowUpTokens.unseal(sealed, "key-1", "inc_b"));
        assertEquals(Optional.empty(), FollowUpTokens.unseal("not base64!", "key-1", "inc_a"));
    }

    @Test
    void tokensCarry160RandomBitsAndAreStoredAsTheirSha256() {
        String token = FollowUpTokens.newToken();
        assertTrue(token.matches("fut_[a-z2-7]{32}"), token);
        assertNotEquals(token, FollowUpTokens.newToken());
        assertEquals(64, FollowUpTokens.hash(token).length());
        assertFalse(FollowUpTokens.matches(Optional.of(token), Optional.of("not-hex")));
    }

    @Test
    void theTeamIsTheGroupClaimAsApiGatewayPassesIt() {
        assertEquals(List.of("security-team", "admins"), TeamMember.groups("[security-team admins]"));
        assertEquals(List.of("security-team", "admins"), TeamMember.groups("[\"security-team\",\"admins\"]"));
        assertEquals(List.of("security-team"), TeamMember.groups("security-team"));
        assertEquals(List.of(), TeamMember.groups(null));
        ResponseConfig config = ResponseConfig.from(com.supportress.shared.config.FunctionEnvironment.of(Map.of()));

        assertEquals("sam@example.org", TeamMember.of(request(Map.of("cognito:groups", "[security-team]", "email", "sam@example.org", "sub", "s-1")), config).name());
        assertEquals(401, assertThrows(ClientErrorException.class, () -> TeamMember.of(request(Map.of()), config)).error().status());
        assertEquals(403, assertThrows(ClientErrorException.class,
                () -> TeamMember.of(request(Map.of("cognito:groups", "[security-team-b]", "sub", "s-2")), config)).error().status());
        assertEquals(403, assertThrows(ClientErrorException.class,
                () -> TeamMember.of(request(Map.of("custom:tenant_id", "acme", "sub", "s-3")), config)).error().status());
    }

    @Test
    void listQueriesAreCheckedFieldByFieldAndCursorsOnlyComeBackForTheirStatus() {
        TriageQuery query = TriageQuery.from(Map.of("status", "triaging", "category", "exploit", "order", "oldest", "limit", "5"));
        assertEquals(ReportStatus.TRIAGING, query.status());
        assertFalse(query.newestFirst());
        assertEquals(5, query.limit());
        ClientErrorException invalid = assertThrows(ClientErrorException.class,
                () -> TriageQuery.from(Map.of("category", "prank", "since", "yesterday", "limit", "0", "order", "up")));
        assertEquals(Set.of("status", "category", "since", "limit", "order"),
                Set.copyOf(invalid.error().fields().stream().map(f -> f.field()).toList()));

        ListCursor cursor = new ListCursor("received", "2026-11-24T18:30:00.123Z", "inc_" + "a".repeat(32));
        assertEquals(Optional.of(cursor), ListCursor.decode(cursor.encoded(), ReportStatus.RECEIVED));
        assertEquals(Optional.empty(), ListCursor.decode(cursor.encoded(), ReportStatus.RESOLVED));
        assertEquals(Optional.empty(), ListCursor.decode("%%%", ReportStatus.RECEIVED));
        assertEquals(Optional.empty(), ListCursor.decode(new ListCursor("received", "then", "inc_x").encoded(), ReportStatus.RECEIVED));
    }

    @Test
    void listWindowsAreInOrderAndACursorComesBackOnlyInsideItsWindow() {
        ClientErrorException backwards = assertThrows(ClientErrorException.class, () -> TriageQuery.from(Map.of("status", "received",
                "since", "2026-11-24T00:00:00Z", "until", "2026-11-23T00:00:00Z")));
        assertEquals(List.of("until"), backwards.error().fields().stream().map(f -> f.field()).toList());

        String cursor = new ListCursor("received", "2026-11-24T18:30:00.123Z", "inc_" + "a".repeat(32)).encoded();
        assertTrue(TriageQuery.from(Map.of("status", "received", "until", "2026-11-25T00:00:00Z", "cursor", cursor)).cursor().isPresent());
        ClientErrorException outside = assertThrows(ClientErrorException.class, () -> TriageQuery.from(Map.of("status", "received",
                "since", "2026-11-25T00:00:00Z", "cursor", cursor)));
        assertEquals(List.of("cursor"), outside.error().fields().stream().map(f -> f.field()).toList());
    }

    private static ApiRequest request(Map<String, String> claims) {
        return new ApiRequest("GET", "/triage/reports", Map.of(), Map.of(), Map.of(), new byte[0], "127.0.0.1", "r", "localhost", claims);
    }
}
