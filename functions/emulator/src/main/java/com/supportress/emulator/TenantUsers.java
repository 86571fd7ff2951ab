package com.supportress.emulator;

import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthenticationResultType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.MessageActionType;

import java.util.Map;
import java.util.UUID;

/**
 * Users of the stack's tenant user pool (TenantUserPool), made the way the README tells an operator to
 * (AdminCreateUser with custom:tenant_id, AdminSetUserPassword), and their real tokens from InitiateAuth
 * USER_PASSWORD_AUTH through the app client the upload page uses.
 */
public final class TenantUsers {

    public static final String PASSWORD = "Correct-Horse-9-Battery";

    private final EmulatedStack stack;

    public TenantUsers(EmulatedStack stack) {
        this.stack = stack;
    }

    /** A new user of the tenant with a permanent password; returns the user name (an email address). */
    public String create(String tenant) {
        String email = "user-" + UUID.randomUUID().toString().substring(0, 12) + "@example.org";
        createWithTemporaryPassword(email, tenant, PASSWORD);
        stack.cognito().adminSetUserPassword(r -> r.userPoolId(poolId()).username(email).password(PASSWORD).permanent(true));
        return email;
    }

    /** As an invitation leaves a user: signing in first asks for a new password (NEW_PASSWORD_REQUIRED). */
    public void createWithTemporaryPassword(String email, String tenant, String temporaryPassword) {
        stack.cognito().adminCreateUser(r -> r.userPoolId(poolId()).username(email).temporaryPassword(temporaryPassword)
                .messageAction(MessageActionType.SUPPRESS)
                .userAttributes(attribute("email", email), attribute("email_verified", "true"), attribute("custom:tenant_id", tenant)));
    }

    /** The ID token of a new user in a group of the pool, such as the security team's (SecurityTeamUserGroup); no tenant. */
    public String idTokenInGroup(String group) {
        String email = "member-" + UUID.randomUUID().toString().substring(0, 12) + "@example.org";
        stack.cognito().adminCreateUser(r -> r.userPoolId(poolId()).username(email).temporaryPassword(PASSWORD)
                .messageAction(MessageActionType.SUPPRESS)
                .userAttributes(attribute("email", email), attribute("email_verified", "true")));
        stack.cognito().adminSetUserPassword(r -> r.userPoolId(poolId()).username(email).password(PASSWORD).permanent(true));
        stack.cognito().adminAddUserToGroup(r -> r.userPoolId(poolId()).username(email).groupName(group));
        return signIn(email).idToken();
    }

    public AuthenticationResultType signIn(String email) {
        return stack.cognito().initiateAuth(r -> r.clientId(clientId()).authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                .authParameters(Map.of("USERNAME", email, "PASSWORD", PASSWORD))).authenticationResult();
    }

    /** The ID token of a new user of the tenant: what the upload page sends as its bearer token. */
    public String idToken(String tenant) {
        return signIn(create(tenant)).idToken();
    }

    public String poolId() {
        return stack.refOf("TenantUserPool");
    }

    public String clientId() {
        return stack.refOf("TenantUserPoolClient");
    }

    private static AttributeType attribute(String name, String value) {
        return AttributeType.builder().name(name).value(value).build();
    }
}
