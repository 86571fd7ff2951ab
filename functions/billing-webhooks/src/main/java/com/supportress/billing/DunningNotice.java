package com.supportress.billing;

import java.util.Optional;

/** A failed payment the account's billing contact is told about, once per invoice. */
public record DunningNotice(String invoiceId, Optional<String> billingEmail, long amountDue, String currency, int attempt) {
}
