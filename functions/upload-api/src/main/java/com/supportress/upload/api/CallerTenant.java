package com.supportress.upload.api;

import com.supportress.shared.http.ApiRequest;
import com.supportress.shared.http.ClientError;
import com.supportress.shared.http.ClientErrorException;
import com.supportress.upload.store.UploadKeys;

import java.util.Map;

/**
 * The caller's tenant: a claim (TENANT_CLAIM) of the JWT that API Gateway's authorizer verified for the route, read
 * from the event's authorizer context, never from anything the client sends. API Gateway checks the signature,
 * issuer, audience and lifetime but not token_use, so that is checked here. A request without verified claims (a
 * route deployed without the authorizer) gets nothing.
 */
final class CallerTenant {

    private static final String BEARER = "Bearer";
    private static final String INVALID_TOKEN = "Bearer error=\"invalid_token\"";

    private CallerTenant() {
    }

    static String of(ApiRequest request, UploadApiConfig config) {
        Map<String, String> claims = request.claims();
        if (claims.isEmpty()) {
            throw new ClientErrorException(new ClientError.Unauthorized("a verified bearer token is required", BEARER));
        }
        config.tokenUse().filter(expected -> !expected.equals(claims.get("token_use"))).ifPresent(expected -> {
            throw new ClientErrorException(new ClientError.Unauthorized("the token must be an " + expected + " token", INVALID_TOKEN));
        });
        String tenant = claims.get(config.tenantClaim());
        if (tenant == null || tenant.isBlank()) {
            throw new ClientErrorException(new ClientError.Forbidden("the token names no tenant (claim " + config.tenantClaim() + ")"));
        }
        if (!UploadKeys.TENANT.matcher(tenant).matches()) {
            throw new ClientErrorException(new ClientError.Forbidden("the token's tenant is not 1 to 63 lower-case letters, digits or hyphens"));
        }
        return tenant;
    }
}
