package com.supportress.api.contract;

import java.util.List;

/** An answer the API's contract (openapi.yaml) does not allow: a test that receives one fails, naming every problem. */
public final class ContractViolation extends AssertionError {

    public ContractViolation(String exchange, List<String> problems) {
        super(exchange + " does not match functions/api-contract/openapi.yaml:\n  " + String.join("\n  ", problems));
    }
}
