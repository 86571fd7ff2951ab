package com.supportress.regionbuckets;

import java.util.List;

/** The resource's properties cannot be honoured; the message names every problem, for CloudFormation's Reason. */
public class InvalidPropertiesException extends RuntimeException {

    private final List<String> problems;

    public InvalidPropertiesException(List<String> problems) {
        super("invalid properties: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
