package com.supportress.incident;

import com.supportress.shared.http.ApiRequest;
import com.supportress.shared.http.ClientError;
import com.supportress.shared.http.ClientErrorException;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The caller of a triage route: a member of the security team, by a group claim of the JWT that API Gateway's
 * authorizer verified for the route (never by anything else the client sends). API Gateway hands array claims to the
 * function as one string, {@code "[security-team admins]"}; a JSON array string is read too. The member's name for the
 * audit trail is the token's email, else its user name, else its subject.
 */
record TeamMember(String name) {

    static TeamMember of(ApiRequest request, ResponseConfig config) {
        Map<String, String> claims = request.claims();
        if (claims.isEmpty()) {
            throw new ClientErrorException(new ClientError.Unauthorized("a verified bearer token is required", "Bearer"));
        }
        if (!groups(claims.get(config.groupsClaim())).contains(config.securityTeamGroup())) {
            throw new ClientErrorException(new ClientError.Forbidden("only members of the security team group may triage reports"));
        }
        String name = Stream.of("email", "cognito:username", "username", "sub").map(claims::get)
                .filter(value -> value != null && !value.isBlank()).findFirst()
                .orElseThrow(() -> new ClientErrorException(new ClientError.Forbidden("the token names no user")));
        return new TeamMember(name);
    }

    static List<String> groups(String claim) {
        return Optional.ofNullable(claim).stream()
                .flatMap(value -> Arrays.stream(value.replaceAll("^\\s*\\[|]\\s*$", "").split("[\\s,]+")))
                .map(group -> group.replaceAll("^\"|\"$", ""))
                .filter(group -> !group.isEmpty())
                .toList();
    }
}
