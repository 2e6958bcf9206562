package dev.jobs.postgres;

import java.util.Map;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Disables the conformance tests the PostgreSQL store does not pass yet, by method name, each with
 * its reason. Keep the list as short as possible: every entry is a known gap of issue 15.
 */
final class NotYetInPostgres implements ExecutionCondition {

    static final String REASON = "not implemented in the PostgreSQL store yet (issue 15)";

    /** Method name to what is missing. */
    static final Map<String, String> SKIPPED = Map.of();

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return context.getTestMethod()
                .filter(m -> SKIPPED.containsKey(m.getName()))
                .map(m -> ConditionEvaluationResult.disabled(REASON + ": " + SKIPPED.get(m.getName())))
                .orElse(ConditionEvaluationResult.enabled("the PostgreSQL store implements it"));
    }
}
