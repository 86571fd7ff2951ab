package com.supportress.emulator;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * Unit tier, no emulator: the local JWT authorizer against an OIDC issuer this test runs itself (discovery document
 * and JWKS on a loopback port, its own RSA key), as it would against any issuer set by JwtIssuer. Forged tokens are
 * signed with the issuer's real key, so each case fails on the one claim it gets wrong.
 */
class JwtAuthorizerTest {

    private static final String AUDIENCE = "upload-page";
    private static final Instant NOW = Instant.parse("2026-11-24T18:40:00Z");
    private static HttpServer server;
    private static RSAKey key;
    private static String issuer;
    private static JwtAuthorizer authorizer;

    @BeforeAll
    static void startIssuer() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("test-key").generate();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/issuer";
        serve("/issuer/.well-known/openid-configuration", "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/jwks.json\"}");
        serve("/issuer/jwks.json", new JWKSet(key.toPublicJWK()).toString());
        server.start();
        authorizer = new JwtAuthorizer(issuer, List.of(AUDIENCE), "$request.header.Authorization", Optional.empty(),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static void serve(String path, String json) {
        server.createContext(path, exchange -> {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("content-type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
    }

    @AfterAll
    static void stopIssuer() {
        server.stop(0);
    }

    @Test
    void aValidTokenPassesWithItsClaimsAsStrings() throws Exception {
        JwtAuthorizer.Decision decision = authorize(token(claims -> claims));
        JwtAuthorizer.Allowed allowed = assertInstanceOf(JwtAuthorizer.Allowed.class, decision);
        assertEquals("acme", allowed.claims().get("custom:tenant_id"));
        assertEquals(Long.toString(NOW.plusSeconds(3600).getEpochSecond()), allowed.claims().get("exp"));
        assertEquals(AUDIENCE, allowed.claims().get("aud"));
    }

    @Test
    void theBearerPrefixIsOptionalAsInApiGateway() throws Exception {
        assertInstanceOf(JwtAuthorizer.Allowed.class, authorizer.authorize(Map.of("authorization", token(claims -> claims))));
    }

    @Test
    void withoutAudClientIdIsMatchedAsApiGatewayDoes() throws Exception {
        assertInstanceOf(JwtAuthorizer.Allowed.class, authorize(token(claims -> claims.audience((String) null).claim("client_id", AUDIENCE))));
        assertDenied(token(claims -> claims.audience((String) null).claim("client_id", "another-client")));
    }

    @Test
    void expiredNotYetValidAndFutureIssuedTokensAreDenied() throws Exception {
        assertDenied(token(claims -> claims.expirationTime(Date.from(NOW))));
        assertDenied(token(claims -> claims.expirationTime(null)));
        assertDenied(token(claims -> claims.notBeforeTime(Date.from(NOW.plusSeconds(1)))));
        assertDenied(token(claims -> claims.issueTime(Date.from(NOW.plusSeconds(1)))));
    }

    @Test
    void wrongIssuerOrAudienceIsDenied() throws Exception {
        assertDenied(token(claims -> claims.issuer(issuer + "/other")));
        assertDenied(token(claims -> claims.audience("another-client")));
    }

    @Test
    void aKeyOutsideTheIssuersJwksIsDenied() throws Exception {
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("test-key").generate();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("test-key").build(), claims().build());
        forged.sign(new RSASSASigner(stranger));
        assertDenied(forged.serialize());
    }

    @Test
    void unsignedAndHmacTokensAreDenied() throws Exception {
        String real = token(claims -> claims);
        assertDenied(BadTokens.unsigned(real));
        assertDenied(BadTokens.withClaim(real, "custom:tenant_id", "globex"));
        SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("test-key").build(), claims().build());
        hmac.sign(new MACSigner(key.toRSAPublicKey().getEncoded()));
        assertDenied(hmac.serialize());
    }

    @Test
    void missingOrMalformedTokensAreDenied() {
        assertInstanceOf(JwtAuthorizer.Denied.class, authorizer.authorize(Map.of()));
        assertDenied("not-a-jwt");
    }

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(AUDIENCE)
                .subject("8f2e61c4")
                .issueTime(Date.from(NOW.minus(Duration.ofMinutes(1))))
                .expirationTime(Date.from(NOW.plusSeconds(3600)))
                .claim("token_use", "id")
                .claim("custom:tenant_id", "acme");
    }

    private static String token(UnaryOperator<JWTClaimsSet.Builder> change) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), change.apply(claims()).build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static JwtAuthorizer.Decision authorize(String token) {
        return authorizer.authorize(Map.of("authorization", "Bearer " + token));
    }

    private static void assertDenied(String token) {
        assertInstanceOf(JwtAuthorizer.Denied.class, authorize(token), token);
    }
}
