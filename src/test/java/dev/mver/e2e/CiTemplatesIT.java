package dev.mver.e2e;

import static dev.mver.testing.GitBinary.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mver.testing.Files2;
import dev.mver.testing.GitBinary;
import dev.mver.testing.MverProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped CI templates, run step by step as the CI would run them: a checkout of the pushed tag, the CI's
 * variables, GitHub's expressions and output files, the real mver jar; only the publishing clients (gh, the
 * GitLab upload) are stand-ins that record what they were asked to publish.
 */
class CiTemplatesIT {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final Pattern EXPR = Pattern.compile("\\$\\{\\{\\s*([^}]+?)\\s*\\}\\}");

    /** The team's side, made once for both templates: a registered, promoted and pushed model. */
    @TempDir
    static Path team;

    static Path origin;
    static String model;

    /** This test's side: the CI workspace, its runner folders and the stand-in publishing clients. */
    @TempDir
    Path tmp;

    Path fakeBin;

    @BeforeAll
    static void registerPromoteAndPush() throws Exception {
        origin = team.resolve("origin.git");
        git(team, "init", "-q", "--bare", origin.toString()).ok();
        Path dev = team.resolve("dev");
        git(team, "init", "-q", dev.toString()).ok();
        git(dev, "remote", "add", "origin", origin.toString()).ok();
        MverProcess.run(dev, "init", "--ci", "github").ok();
        MverProcess.run(dev, "remote", "add", "shared", team.resolve("store").toString()).ok();
        git(dev, "commit", "-qm", "mver with the release workflow").ok();
        model = Files2.sha256(Files2.random(dev.resolve("models/churn/model.bin"), 2 << 20, 1));
        MverProcess.run(dev, "register", "churn", "--version", "1.0.0", "-m", "first", "--artifact",
                "models/churn/model.bin", "--dataset", "snap-1", "--feature-set", "fs-1", "--lib", "xgboost=2.1.1").ok();
        MverProcess.run(dev, "promote", "churn@v1.0.0", "production", "-m", "ship").ok();
        MverProcess.run(dev, "push").ok();
    }

    @BeforeEach
    void setUp() throws Exception {
        fakeBin = Files.createDirectories(tmp.resolve("fake-bin"));
        executable(fakeBin.resolve("gh"), "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"" + tmp.resolve("gh-called") + "\"\n");
        executable(fakeBin.resolve("curl"), "#!/bin/sh\ncase \" $* \" in *' --upload-file '*) printf '%s\\n' \"$@\" >> \""
                + tmp.resolve("uploads") + "\"; exit 0 ;; esac\nexec /usr/bin/curl \"$@\"\n");
    }

    static void executable(Path p, String text) throws Exception {
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** What actions/checkout with fetch-depth 0 and fetch-tags leaves: a full clone, the tag checked out. */
    Path checkoutOf(String tag) {
        Path ws = tmp.resolve("workspace");
        git(tmp, "clone", "-q", origin.toString(), ws.toString()).ok();
        git(ws, "checkout", "-q", tag).ok();
        return ws;
    }

    Map<String, String> baseEnv(Path runnerTemp) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", fakeBin + ":" + System.getenv("PATH"));
        env.put("RUNNER_TEMP", runnerTemp.toString());
        env.put("MVER_JAR_URL", "file://" + MverProcess.jar());
        return env;
    }

    @Test
    void the_github_actions_workflow_builds_checks_and_publishes_the_release_of_a_pushed_stage_tag() throws Exception {
        String tag = "churn#production#2";
        Path ws = checkoutOf(tag);
        JsonNode workflow = YAML.readTree(ws.resolve(".github/workflows/mver-release.yml").toFile());
        assertEquals(Files.readString(Path.of("templates/github-actions/release.yml")),
                Files.readString(ws.resolve(".github/workflows/mver-release.yml")), "init --ci copies the shipped template");
        JsonNode job = workflow.get("jobs").get("release");
        Path runnerTemp = Files.createDirectories(tmp.resolve("runner-temp"));
        Map<String, String> env = baseEnv(runnerTemp);
        Map<String, Object> ctx = new HashMap<>();
        ctx.put("github.ref", "refs/tags/" + tag);
        ctx.put("github.ref_name", tag);
        ctx.put("github.token", "ghs_test");
        ctx.put("vars.MVER_JAR_URL", env.get("MVER_JAR_URL"));
        env.put("GITHUB_REF", "refs/tags/" + tag);
        env.put("GITHUB_REF_NAME", tag);
        env.put("GITHUB_REF_TYPE", "tag");
        job.get("env").properties().forEach(e -> env.put(e.getKey(), expand(e.getValue().asText(), ctx)));
        Path githubPath = runnerTemp.resolve("github-path");
        Files.writeString(githubPath, "");
        env.put("GITHUB_PATH", githubPath.toString());

        int ran = 0;
        for (JsonNode step : job.get("steps")) {
            if (step.has("uses")) {
                continue; // checkout and setup-java: the workspace and the JDK are already here
            }
            Map<String, String> stepEnv = new HashMap<>(env);
            for (String dir : Files.readAllLines(githubPath)) {
                if (!dir.isBlank()) {
                    stepEnv.put("PATH", dir + ":" + stepEnv.get("PATH"));
                }
            }
            if (step.has("env")) {
                step.get("env").properties().forEach(e -> stepEnv.put(e.getKey(), expand(e.getValue().asText(), ctx)));
            }
            Path output = runnerTemp.resolve("output-" + ran);
            Files.writeString(output, "");
            stepEnv.put("GITHUB_OUTPUT", output.toString());
            GitBinary.Result r = GitBinary.run(ws, stepEnv, List.of("bash", "-e", "-c", expand(step.get("run").asText(), ctx)));
            assertEquals(0, r.code(), step.get("name").asText() + ": " + r.out() + r.err());
            if (step.has("id")) {
                for (String line : Files.readAllLines(output)) {
                    int eq = line.indexOf('=');
                    if (eq > 0) {
                        ctx.put("steps." + step.get("id").asText() + ".outputs." + line.substring(0, eq), line.substring(eq + 1));
                    }
                }
            }
            ran++;
        }
        assertEquals(4, ran);
        assertEquals("promotion", ctx.get("steps.ref.outputs.event"));
        Path bundle = runnerTemp.resolve("release");
        assertEquals(model, Files2.sha256(bundle.resolve("artifacts/models/churn/model.bin")));
        List<String> gh = Files.readAllLines(tmp.resolve("gh-called"));
        assertEquals(List.of("release", "create", tag), gh.subList(0, 3));
        assertTrue(gh.contains(bundle.resolve("churn-v1.0.0.tar.gz").toString()), gh.toString());
    }

    @Test
    void the_gitlab_ci_job_builds_checks_and_uploads_the_release_of_a_pushed_version_tag() throws Exception {
        String tag = "churn@v1.0.0";
        Path home = tmp.resolve("mver-home");
        GitBinary.Result r = runGitlabJob(tag, tag);
        assertEquals(0, r.code(), r.out() + r.err());
        assertEquals(model, Files2.sha256(home.resolve("release/artifacts/models/churn/model.bin")));
        String uploads = Files.readString(tmp.resolve("uploads"));
        assertTrue(uploads.contains("https://gitlab.invalid/api/v4/projects/42/packages/generic/churn/1.0.0/churn-v1.0.0.tar.gz"),
                uploads);
        assertTrue(uploads.contains("JOB-TOKEN: job-token"), uploads);
    }

    @Test
    void the_optional_pages_jobs_build_the_report_only_when_asked() throws Exception {
        Path ws = checkoutOf("churn@v1.0.0");
        JsonNode report = YAML.readTree(Path.of("templates/github-actions/release.yml").toFile()).get("jobs")
                .get("report");
        assertTrue(report.get("if").asText().contains("vars.MVER_PAGES == 'true'"), "off unless the variable says so");
        assertTrue(report.toString().contains("actions/deploy-pages"));
        assertEquals("false", report.get("concurrency").get("cancel-in-progress").asText(),
                "deploys of two tags pushed together queue rather than race");
        Path runnerTemp = Files.createDirectories(tmp.resolve("runner-temp"));
        Map<String, String> env = baseEnv(runnerTemp);
        String build = null;
        for (JsonNode step : report.get("steps")) {
            if ("Build the report".equals(step.path("name").asText())) {
                build = step.get("run").asText();
            }
        }
        GitBinary.Result r = GitBinary.run(ws, env, List.of("bash", "-e", "-o", "pipefail", "-c", build));
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(Files.readString(runnerTemp.resolve("site/models/churn.html")).contains("churn"));

        JsonNode pages = YAML.readTree(Path.of("templates/gitlab-ci/release.yml").toFile()).get("pages");
        assertTrue(pages.get("rules").get(0).get("if").asText().startsWith("$MVER_PAGES == \"true\""));
        assertEquals("public", pages.get("artifacts").get("paths").get(0).asText());
        assertEquals("mver-pages", pages.get("resource_group").asText(), "one deploy at a time");
        List<String> lines = new ArrayList<>();
        pages.get("script").forEach(l -> lines.add(l.asText()));
        r = GitBinary.run(ws, baseEnv(tmp), List.of("bash", "-e", "-o", "pipefail", "-c", String.join("\n", lines)));
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(Files.exists(ws.resolve("public/index.html")));
    }

    /** The GitLab job's script, run as GitLab runs it (one shell, errexit) for {@code tag} in a checkout of {@code at}. */
    GitBinary.Result runGitlabJob(String at, String tag) throws Exception {
        Path ws = checkoutOf(at);
        JsonNode job = YAML.readTree(Path.of("templates/gitlab-ci/release.yml").toFile()).get("mver-release");
        Map<String, String> env = baseEnv(tmp);
        job.get("variables").properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
        env.put("MVER_HOME", tmp.resolve("mver-home").toString());
        env.put("CI_COMMIT_TAG", tag);
        env.put("CI_JOB_TOKEN", "job-token");
        env.put("CI_API_V4_URL", "https://gitlab.invalid/api/v4");
        env.put("CI_PROJECT_ID", "42");
        List<String> lines = new ArrayList<>();
        job.get("script").forEach(l -> lines.add(l.asText()));
        return GitBinary.run(ws, env, List.of("bash", "-e", "-o", "pipefail", "-c", String.join("\n", lines)));
    }

    @Test
    void the_gitlab_job_fails_when_the_pushed_tag_is_missing_from_the_clone() throws Exception {
        GitBinary.Result r = runGitlabJob("churn@v1.0.0", "churn@v1.0.1");
        assertNotEquals(0, r.code(), "a tag check-ref cannot find must fail the job, not pass as nothing to release:\n"
                + r.out() + r.err());
        assertTrue(r.err().contains("churn@v1.0.1"), r.err());
        assertFalse(Files.exists(tmp.resolve("uploads")), "nothing published");
    }

    @Test
    void the_gitlab_job_runs_for_mver_tags_only() throws Exception {
        JsonNode job = YAML.readTree(Path.of("templates/gitlab-ci/release.yml").toFile()).get("mver-release");
        String rule = job.get("rules").get(0).get("if").asText();
        Matcher m = Pattern.compile("\\$CI_COMMIT_TAG =~ /(.*)/$").matcher(rule);
        assertTrue(m.matches(), rule);
        Pattern tags = Pattern.compile(m.group(1));
        for (String yes : List.of("churn@v1.0.0", "churn@v2.0.0-rc.1", "team/churn@v1.2.3+build.5",
                "churn#production#7", "nlp=intent#staging#12")) {
            assertTrue(tags.matcher(yes).matches(), yes);
        }
        for (String no : List.of("v1.0.0", "release-2026-12", "churn@deprecated", "churn@v1.0.0#3", "churn@v1.0.0!#4",
                "churn@deprecated#2", "churn#production")) {
            assertFalse(tags.matcher(no).matches(), no);
        }
    }

    @Test
    void the_github_workflow_uses_the_current_majors_of_its_actions() throws Exception {
        String workflow = Files.readString(Path.of("templates/github-actions/release.yml"));
        assertTrue(workflow.contains("uses: actions/checkout@v6") && workflow.contains("uses: actions/setup-java@v5"),
                "Node 20 actions are deprecated on GitHub's runners");
    }

    static String expand(String text, Map<String, Object> ctx) {
        Matcher m = EXPR.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String key = m.group(1);
            Object value = ctx.get(key);
            if (value == null && !key.startsWith("secrets.")) {
                throw new AssertionError("the template uses an expression the test does not provide: " + key);
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(value == null ? "" : value.toString()));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
