package com.supportress.billing;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * When a configured credential is obviously not a real one, so that it never verifies anything: a deployment whose
 * secret still holds a template's or a README's stand-in must refuse webhooks, not accept whatever an attacker signs
 * with the published value. A value fails when it
 * <ul>
 *   <li>lacks the provider's shape: Stripe signing secrets are {@code whsec_} and at least 32 letters and digits
 *       (the dashboard's are 32, the Stripe CLI's 64 hex digits); restricted or secret API keys are {@code rk_} or
 *       {@code sk_}, {@code live_} or {@code test_}, then at least 24 letters and digits; a Chargebee password has at
 *       least 16 characters and its user name no colon (HTTP Basic would split there);</li>
 *   <li>contains a placeholder word ({@value #PLACEHOLDER_WORDS_TEXT}, in any case): only words of five letters and
 *       more, which a random secret contains by chance with odds below one in a million;</li>
 *   <li>repeats itself: fewer than {@value #MIN_DISTINCT_CHARACTERS} distinct characters after the prefix, as in
 *       {@code whsec_000…} or {@code aaaa…} (a random secret of that length has about 16 to 25);</li>
 *   <li>is a value published in documentation, such as Stripe's sample API key.</li>
 * </ul>
 * The problem named never quotes the value.
 */
final class CredentialRules {

    static final int MIN_DISTINCT_CHARACTERS = 10;
    static final String PLACEHOLDER_WORDS_TEXT = "replace, change, placeholder, example, dummy, sample, secret, insert, redacted";
    private static final List<String> PLACEHOLDER_WORDS = List.of(PLACEHOLDER_WORDS_TEXT.split(", "));
    private static final Pattern STRIPE_SIGNING_SECRET = Pattern.compile("whsec_([A-Za-z0-9]{32,})");
    private static final Pattern STRIPE_API_KEY = Pattern.compile("(?:rk|sk)_(?:live|test)_([A-Za-z0-9]{24,})");
    static final int MIN_CHARGEBEE_PASSWORD_LENGTH = 16;
    private static final Set<String> PUBLISHED = Set.of("sk_test_4eC39HqLyjWDarjtT1zdp7dc", "sk_test_BQokikJOvBiI2HlWgH4olfQ2");

    private CredentialRules() {
    }

    static Optional<String> stripeSigningSecret(String value) {
        return shaped(value, STRIPE_SIGNING_SECRET, "is not whsec_ followed by at least 32 letters and digits");
    }

    static Optional<String> stripeApiKey(String value) {
        return shaped(value, STRIPE_API_KEY, "is not an rk_ or sk_ key (live or test) of at least 24 letters and digits");
    }

    static Optional<String> chargebeeLogin(String username, String password) {
        if (username.contains(":")) {
            return Optional.of("contains a colon in the user name");
        }
        if (password.length() < MIN_CHARGEBEE_PASSWORD_LENGTH) {
            return Optional.of("has a password shorter than " + MIN_CHARGEBEE_PASSWORD_LENGTH + " characters");
        }
        return placeholder(password);
    }

    private static Optional<String> shaped(String value, Pattern shape, String wrongShape) {
        if (PUBLISHED.contains(value)) {
            return Optional.of("is a value published in documentation");
        }
        var matcher = shape.matcher(value);
        if (!matcher.matches()) {
            return Optional.of(wrongShape);
        }
        return placeholder(matcher.group(1));
    }

    private static Optional<String> placeholder(String random) {
        String lower = random.toLowerCase(Locale.ROOT);
        if (PLACEHOLDER_WORDS.stream().anyMatch(lower::contains)) {
            return Optional.of("contains a placeholder word");
        }
        if (random.chars().distinct().count() < MIN_DISTINCT_CHARACTERS) {
            return Optional.of("has fewer than " + MIN_DISTINCT_CHARACTERS + " distinct characters");
        }
        return Optional.empty();
    }
}
