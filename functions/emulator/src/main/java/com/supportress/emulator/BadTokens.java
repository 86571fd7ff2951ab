package com.supportress.emulator;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ExplicitAuthFlowsType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Map;
import java.util.UUID;

/**
 * Tokens API Gateway's JWT authorizer must refuse, made the way an attacker would: real ones from the emulator's
 * Cognito that belong to another pool or app client, and real ones altered (claims edited, signature stripped, or
 * re-signed with HMAC keyed by the issuer's public key, the classic algorithm-confusion attack).
 */
public final class BadTokens {

    private BadTokens() {
    }

    /** A real ID token of the tenant from a user pool that is not the stack's: another issuer. */
    public static String fromAnotherPool(EmulatedStack stack, String tenant) {
        var cognito = stack.cognito();
        String poolId = cognito.createUserPool(r -> r.poolName("other-" + UUID.randomUUID())
                .schema(s -> s.name("tenant_id").attributeDataType("String").mutable(false))).userPool().id();
        String clientId = cognito.createUserPoolClient(r -> r.userPoolId(poolId).clientName("other")
                .explicitAuthFlows(ExplicitAuthFlowsType.ALLOW_USER_PASSWORD_AUTH)).userPoolClient().clientId();
        String email = "user-" + UUID.randomUUID().toString().substring(0, 12) + "@example.org";
        cognito.adminCreateUser(r -> r.userPoolId(poolId).username(email).temporaryPassword(TenantUsers.PASSWORD)
                .userAttributes(a -> a.name("custom:tenant_id").value(tenant)));
        cognito.adminSetUserPassword(r -> r.userPoolId(poolId).username(email).password(TenantUsers.PASSWORD).permanent(true));
        return cognito.initiateAuth(r -> r.clientId(clientId).authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                .authParameters(Map.of("USERNAME", email, "PASSWORD", TenantUsers.PASSWORD))).authenticationResult().idToken();
    }

    /** A real ID token of the tenant from the stack's pool, issued to another app client: another audience. */
    public static String fromAnotherClient(EmulatedStack stack, TenantUsers users, String tenant) {
        String clientId = stack.cognito().createUserPoolClient(r -> r.userPoolId(users.poolId()).clientName("other-" + UUID.randomUUID())
                .explicitAuthFlows(ExplicitAuthFlowsType.ALLOW_USER_PASSWORD_AUTH)).userPoolClient().clientId();
        String email = users.create(tenant);
        return stack.cognito().initiateAuth(r -> r.clientId(clientId).authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                .authParameters(Map.of("USERNAME", email, "PASSWORD", TenantUsers.PASSWORD))).authenticationResult().idToken();
    }

    /** The same claims with {@code alg: none} and no signature. */
    public static String unsigned(String token) {
        String header = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}").toString();
        return header + "." + token.split("\\.")[1] + ".";
    }

    /** The same claims, HS256-signed with the issuer's RSA public key (as the JWKS publishes it) as the HMAC secret. */
    public static String hmacWithPublicKey(EmulatedStack stack, TenantUsers users, String token) {
        try {
            String jwks = new String(URI.create(stack.endpoint() + "/" + users.poolId() + "/.well-known/jwks.json").toURL()
                    .openStream().readAllBytes(), StandardCharsets.UTF_8);
            RSAKey key = JWKSet.parse(jwks).getKeys().getFirst().toRSAKey();
            SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(key.getKeyID()).build(),
                    SignedJWT.parse(token).getJWTClaimsSet());
            forged.sign(new MACSigner(key.toRSAPublicKey().getEncoded()));
            return forged.serialize();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The token with one claim changed and its original signature kept. */
    public static String withClaim(String token, String claim, String value) {
        try {
            String[] parts = token.split("\\.");
            Map<String, Object> claims = JWTClaimsSet.parse(new String(Base64URL.from(parts[1]).decode(), StandardCharsets.UTF_8)).toJSONObject();
            claims.put(claim, value);
            return parts[0] + "." + Base64URL.encode(JSONObjectUtils.toJSONString(claims)) + "." + parts[2];
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }
}
