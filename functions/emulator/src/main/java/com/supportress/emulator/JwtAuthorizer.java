package com.supportress.emulator;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One JWT authorizer of template.yaml's HttpApi (Auth.Authorizers), checking a request the way API Gateway's
 * documentation says it does: the token from the identity source, with or without "Bearer "; a signature by an RSA
 * key of the issuer's JWKS, found by kid (no other algorithm, so neither {@code alg: none} nor HMAC passes); iss
 * equal to the issuer; aud, or client_id when there is no aud, among the audiences; exp after now, nbf and iat not
 * after now, with no clock skew. The claims go on as API Gateway passes them, every value a string. token_use is not
 * API Gateway's to check: the function behind the route checks it, here as in AWS.
 *
 * <p>The keys come from the issuer's {@code /.well-known/openid-configuration}; for a Cognito issuer on the
 * emulator they come from the emulator's own JWKS endpoint (moto serves {@code /<poolId>/.well-known/jwks.json}).
 */
public final class JwtAuthorizer {

    /** What the authorizer decided for one request. */
    public sealed interface Decision {
    }

    /** Verified: the claims and scopes API Gateway puts in the event's requestContext.authorizer.jwt. */
    public record Allowed(Map<String, String> claims, List<String> scopes) implements Decision {
    }

    /** Refused; the reason is for logs and test messages, API Gateway tells the client only "Unauthorized". */
    public record Denied(String reason) implements Decision {
    }

    private static final Pattern COGNITO_ISSUER = Pattern.compile("https://cognito-idp\\.[a-z0-9-]+\\.amazonaws\\.com/([\\w-]+)");
    private static final String HEADER_SOURCE = "$request.header.";

    private final String issuer;
    private final List<String> audiences;
    private final String identityHeader;
    private final Optional<URI> emulator;
    private final Clock clock;
    private DefaultJWTProcessor<SecurityContext> processor;

    JwtAuthorizer(String issuer, List<String> audiences, String identitySource, Optional<URI> emulator, Clock clock) {
        if (!identitySource.startsWith(HEADER_SOURCE)) {
            throw new IllegalArgumentException("only header identity sources are emulated, not " + identitySource);
        }
        this.issuer = issuer;
        this.audiences = List.copyOf(audiences);
        this.identityHeader = identitySource.substring(HEADER_SOURCE.length()).toLowerCase(Locale.ROOT);
        this.emulator = emulator;
        this.clock = clock;
    }

    /** Decides on a request's headers (names in lower case, as the local suite and HttpEvents keep them). */
    public Decision authorize(Map<String, String> headers) {
        String value = headers.get(identityHeader);
        if (value == null || value.isBlank()) {
            return new Denied("no token in " + identityHeader);
        }
        String token = value.regionMatches(true, 0, "Bearer ", 0, 7) ? value.substring(7).trim() : value.trim();
        JWTClaimsSet claims;
        try {
            claims = processor().process(token, null);
        } catch (ParseException | BadJOSEException | JOSEException e) {
            return new Denied("token rejected: " + e.getMessage());
        }
        return checkClaims(claims).<Decision>map(Denied::new)
                .orElseGet(() -> new Allowed(stringClaims(claims), scopes(claims)));
    }

    private Optional<String> checkClaims(JWTClaimsSet claims) {
        Instant now = clock.instant();
        if (!issuer.equals(claims.getIssuer())) {
            return Optional.of("iss " + claims.getIssuer() + " is not " + issuer);
        }
        List<String> audience = claims.getAudience();
        Object clientId = claims.getClaim("client_id");
        boolean audienceMatches = audience.isEmpty() ? clientId != null && audiences.contains(String.valueOf(clientId))
                : audience.stream().anyMatch(audiences::contains);
        if (!audienceMatches) {
            return Optional.of("neither aud " + audience + " nor client_id " + clientId + " is one of " + audiences);
        }
        if (claims.getExpirationTime() == null || !now.isBefore(claims.getExpirationTime().toInstant())) {
            return Optional.of("expired (exp " + claims.getExpirationTime() + ")");
        }
        if (claims.getNotBeforeTime() != null && now.isBefore(claims.getNotBeforeTime().toInstant())) {
            return Optional.of("not valid yet (nbf " + claims.getNotBeforeTime() + ")");
        }
        if (claims.getIssueTime() != null && now.isBefore(claims.getIssueTime().toInstant())) {
            return Optional.of("issued in the future (iat " + claims.getIssueTime() + ")");
        }
        return Optional.empty();
    }

    /** Built on first use, so an issuer that starts after the stack (a test's) is found. */
    private synchronized DefaultJWTProcessor<SecurityContext> processor() {
        if (processor == null) {
            JWKSource<SecurityContext> keys = JWKSourceBuilder.create(jwksUrl()).retrying(false).build();
            processor = new DefaultJWTProcessor<>();
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.Family.RSA, keys));
            // Every claim check is above, exactly as API Gateway documents it (no skew, iat included).
            processor.setJWTClaimsSetVerifier(null);
        }
        return processor;
    }

    private URL jwksUrl() {
        Matcher cognito = COGNITO_ISSUER.matcher(issuer);
        try {
            if (cognito.matches() && emulator.isPresent()) {
                return URI.create(emulator.get() + "/" + cognito.group(1) + "/.well-known/jwks.json").toURL();
            }
            URL discovery = URI.create(issuer.replaceAll("/+$", "") + "/.well-known/openid-configuration").toURL();
            try (InputStream in = discovery.openStream()) {
                String jwksUri = JSONObjectUtils.getString(JSONObjectUtils.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)), "jwks_uri");
                return URI.create(jwksUri).toURL();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find the JWKS of issuer " + issuer, e);
        } catch (ParseException e) {
            throw new IllegalStateException("issuer " + issuer + " has no valid discovery document", e);
        }
    }

    /** Claims as API Gateway hands them to a function: strings, numbers in decimal, arrays as "[a b]". */
    private static Map<String, String> stringClaims(JWTClaimsSet claims) {
        Map<String, String> strings = new LinkedHashMap<>();
        claims.toJSONObject().forEach((name, value) -> strings.put(name, switch (value) {
            case Collection<?> values -> values.stream().map(String::valueOf).collect(Collectors.joining(" ", "[", "]"));
            default -> String.valueOf(value);
        }));
        return strings;
    }

    private static List<String> scopes(JWTClaimsSet claims) {
        Object scope = claims.getClaim("scope");
        return scope == null ? null : List.of(String.valueOf(scope).split(" "));
    }
}
