package dev.jobs.spring.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The application the integration tests start: only the starter's auto-configuration, a service
 * ({@link Ledger}), a job that uses it ({@link LedgerJob}) and a controller that dispatches jobs by
 * name ({@link DispatchController}), as a host application would have them.
 */
@SpringBootApplication
public class LedgerApplication {}
