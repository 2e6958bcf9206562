package dev.jobs.spring.app;

import dev.jobs.InvalidParametersException;
import dev.jobs.UnknownJobException;
import dev.jobs.runtime.JobManager;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Dispatches a job by name with the request body as its parameters; answers 202 with the job's id,
 * 404 for a name no job has, 400 for parameters the job does not accept.
 */
@RestController
public class DispatchController {
    private final JobManager jobs;

    public DispatchController(JobManager jobs) {
        this.jobs = jobs;
    }

    @PostMapping(path = "/dispatch/{name}", consumes = "application/json", produces = "text/plain")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public String dispatch(@PathVariable String name, @RequestBody String parameters) {
        return jobs.dispatchByName(name, parameters).id().toString();
    }

    @ExceptionHandler(UnknownJobException.class)
    ResponseEntity<String> unknown(UnknownJobException e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(e.getMessage());
    }

    @ExceptionHandler(InvalidParametersException.class)
    ResponseEntity<String> invalid(InvalidParametersException e) {
        return ResponseEntity.badRequest().body(e.getMessage());
    }
}
