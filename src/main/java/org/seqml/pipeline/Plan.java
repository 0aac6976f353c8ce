package org.seqml.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.seqml.config.ConfigError;
import org.seqml.config.SeqmlConfig;
import org.seqml.domain.Domain;
import org.seqml.run.Stage;
import org.seqml.task.Task;
import org.seqml.util.Schemas;

/**
 * A run's plan, known before Spark starts: the config's domain and task, whether the domain supports
 * the task, and every table the phases write with its declared schema, chained so that the columns
 * the task reads are checked against the windows the domain makes. {@code seqml config} prints it.
 */
public record Plan(Domain domain, Task task, List<Stage> stages) {

  /** The plan of a validated config; a domain and task that do not fit are a {@link ConfigError}. */
  public static Plan of(SeqmlConfig config) {
    Domain domain = Domain.of(config.ingest().domain());
    Task task = Task.of(config.task());
    if (!domain.tasks().contains(task.name())) {
      throw new ConfigError("task must be one of " + new TreeSet<>(domain.tasks()) + " for ingest.domain = "
          + domain.name() + " (got \"" + task.name() + "\")");
    }
    List<Stage> stages = new ArrayList<>(domain.stages(config));
    Stage windows = stages.get(stages.size() - 1);
    List<String> missing = Schemas.missing(windows.schema(), task.reads());
    if (!missing.isEmpty()) {
      throw new ConfigError("task " + task.name() + " reads window columns that ingest.domain = " + domain.name()
          + " does not make: " + String.join(", ", missing));
    }
    stages.addAll(task.stages(domain.keyName()));
    return new Plan(domain, task, List.copyOf(stages));
  }

  /** One line per stage, in data-flow order. */
  public List<String> describe() {
    List<String> lines = new ArrayList<>();
    lines.add(domain.name() + " x " + task.name());
    stages.forEach(s -> lines.add(s.describe()));
    return lines;
  }
}
