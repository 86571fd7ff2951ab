package com.supportress.incident;

import com.supportress.shared.http.JsonFields;
import com.supportress.shared.http.TextRules;
import io.micronaut.json.tree.JsonNode;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.Set;
import java.util.regex.Pattern;

/** What a reporter sends to POST /incidents, validated: every invalid field is named in one 400. */
public record IncidentSubmission(
        String reporterEmail,
        Optional<String> reporterName,
        String category,
        String summary,
        String description,
        Optional<String> affectedAccount,
        Optional<String> affectedUrl,
        Optional<String> occurredAt) {

    public static final Set<String> CATEGORIES = Set.of(
            "abuse", "misuse", "exploit", "vulnerability", "data-exposure", "account-compromise", "other");

    static final int SUMMARY_MAX = 200;
    static final int DESCRIPTION_MAX = 20_000;

    // A pragmatic RFC 5321 address: dot-atom local part, a domain of DNS labels with an alphabetic TLD.
    private static final Pattern EMAIL = Pattern.compile(
            "^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                    + "@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}$");

    public static IncidentSubmission from(JsonNode body) {
        JsonFields fields = new JsonFields(body);
        String email = fields.requiredString("reporterEmail", 254);
        if (email != null && (!EMAIL.matcher(email).matches() || email.indexOf('@') > 64)) {
            fields.reject("reporterEmail", "must be a valid email address");
        }
        // Single-line fields end up in the mail subject and beside headers: TextRules' one-line rule.
        Optional<String> name = fields.optionalOneLine("reporterName", 200);
        String category = fields.requiredString("category", 40);
        if (category != null && !CATEGORIES.contains(category)) {
            fields.reject("category", "must be one of " + String.join(", ", CATEGORIES.stream().sorted().toList()));
        }
        String summary = fields.requiredOneLine("summary", SUMMARY_MAX);
        String description = fields.requiredString("description", DESCRIPTION_MAX);
        fields.check("description", Optional.ofNullable(description), TextRules::isMultiLine, TextRules.MULTI_LINE_RULE);
        Optional<String> account = fields.optionalOneLine("affectedAccount", 200);
        Optional<String> url = fields.check("affectedUrl", fields.optionalString("affectedUrl", 2048),
                IncidentSubmission::isHttpUrl, "must be an http or https URL");
        Optional<String> occurredAt = fields.check("occurredAt", fields.optionalString("occurredAt", 40),
                IncidentSubmission::isIsoDateTime, "must be an ISO-8601 date or date-time, e.g. 2026-11-24T18:30:00Z");
        fields.throwIfInvalid();
        return new IncidentSubmission(email, name, category, summary, description, account, url, occurredAt);
    }

    private static boolean isHttpUrl(String value) {
        try {
            URI uri = new URI(value);
            return ("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null && TextRules.isOneLine(value);
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static final List<Function<String, ?>> ISO_FORMS = List.of(OffsetDateTime::parse, LocalDateTime::parse, LocalDate::parse);

    private static boolean isIsoDateTime(String value) {
        for (Function<String, ?> form : ISO_FORMS) {
            try {
                form.apply(value);
                return true;
            } catch (DateTimeParseException e) {
                // not this form; try the next
            }
        }
        return false;
    }
}
