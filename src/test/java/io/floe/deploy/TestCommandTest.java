package io.floe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.deploy.FakeMachine.Result;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's test command, {@code ./test}, on machines made up by {@link FakeMachine}: a fresh one
 * where every package is missing, one that has everything, one where it cannot install, and runs
 * interrupted half-way. The script is the project's own, copied as is; only the programs around it
 * are fakes, so these runs install nothing, start no radosgw and run no Maven.
 */
class TestCommandTest {

    private static final String UPDATE = "apt-get update -q (DEBIAN_FRONTEND=noninteractive)";
    private static final String INSTALL = "apt-get install -y -q --no-install-recommends %s (DEBIAN_FRONTEND=noninteractive)";
    private static final List<String> PACKAGES = List.of("radosgw", "ceph-mon", "ceph-osd", "ceph-base", "curl",
            "python3-kafka", "python3-confluent-kafka", "kcat", "chromium", "chromium-driver", "openssl");
    private static final String NPM_INSTALL = "npm install --silent --no-audit --no-fund --prefix .tools @cdktf/hcl2json";
    private static final String HCL2JSON = "node infra/terraform/hcl2json.cjs terraform";
    private static final String FMT = "terraform fmt -check -recursive terraform";

    @TempDir
    Path dir;

    @Test
    void onAFreshMachineItInstallsEveryPackageWithOneAptGetCallStartsRadosgwRunsTheSuiteAndStopsRadosgw() throws Exception {
        try (FakeMachine machine = new FakeMachine(dir)) {
            Result r = machine.run();

            assertThat(r.exit()).as(r.toString()).isZero();
            String everything = String.join(" ", PACKAGES) + " nodejs npm";
            assertThat(r.calls()).as(r.toString()).containsExactly(UPDATE, INSTALL.formatted(everything), NPM_INSTALL,
                    "start.sh", HCL2JSON, FMT, "mvnw -B verify", "stop.sh");
        }
    }

    @Test
    void onAMachineThatHasEverythingItRunsNoAptGetNoNpmAndLeavesTheRunningRadosgwAlone() throws Exception {
        try (FakeMachine machine = new FakeMachine(dir)) {
            machine.installed(PACKAGES.toArray(String[]::new)).withNodeAndNpm().withHcl2json().radosgwAnswers();

            Result r = machine.run("-Dtest=FooTest", "-DskipLambda");

            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.calls()).as(r.toString()).containsExactly(HCL2JSON, FMT, "mvnw -B verify -Dtest=FooTest -DskipLambda");
            assertThat(r.stdout()).contains("radosgw already answers");
        }
    }

    @Test
    void asAnotherUserItInstallsOnlyWhatIsMissingThroughSudo() throws Exception {
        try (FakeMachine machine = new FakeMachine(dir)) {
            machine.installed("radosgw", "ceph-mon", "ceph-osd", "ceph-base", "curl", "python3-confluent-kafka",
                            "chromium", "chromium-driver", "openssl")
                    .user(1000).withSudo().withNodeAndNpm().withHcl2json();

            Result r = machine.run();

            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.calls()).as(r.toString()).containsExactly(
                    "sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q", UPDATE,
                    "sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3-kafka kcat",
                    INSTALL.formatted("python3-kafka kcat"),
                    "start.sh", HCL2JSON, FMT, "mvnw -B verify", "stop.sh");
        }
    }

    @Test
    void withoutRootOrSudoItNamesTheMissingPackagesAndRunsNothing() throws Exception {
        try (FakeMachine machine = new FakeMachine(dir)) {
            machine.installed("ceph-mon", "ceph-osd", "ceph-base", "curl", "python3-kafka", "python3-confluent-kafka",
                            "chromium", "chromium-driver", "openssl")
                    .user(1000).withNodeAndNpm();

            Result r = machine.run();

            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            assertThat(r.calls()).as(r.toString()).isEmpty();
            assertThat(r.stderr()).contains("missing Debian packages: radosgw kcat")
                    .contains("Not root and no sudo")
                    .contains("apt-get install -y --no-install-recommends radosgw kcat");
        }
    }

    @Test
    void whenAptGetFailsItNamesThePackagesToInstallAndRunsNoTests() throws Exception {
        try (FakeMachine machine = new FakeMachine(dir)) {
            machine.installed(PACKAGES.stream().filter(p -> !p.equals("kcat")).toArray(String[]::new)).withNodeAndNpm()
                    .aptGetFails();

            Result r = machine.run();

            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            assertThat(r.calls()).as(r.toString()).containsExactly(UPDATE, INSTALL.formatted("kcat"));
            assertThat(r.stderr()).contains("could not install the Debian packages kcat")
                    .contains("apt-get install -y --no-install-recommends kcat");
        }
    }

    @Test
    void withoutTerraformItSaysSoAndStopsTheRadosgwItStarted() throws Exception {
        try (FakeMachine machine = new FakeMachine(dir)) {
            machine.installed(PACKAGES.toArray(String[]::new)).withNodeAndNpm().withHcl2json().withoutTerraform();

            Result r = machine.run();

            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            assertThat(r.calls()).as(r.toString()).containsExactly("start.sh", "stop.sh");
            assertThat(r.stderr()).contains("terraform is not installed");
        }
    }

    @Test
    void aFailingSuiteFailsTheCommandAndStillStopsTheRadosgwItStarted() throws Exception {
        try (FakeMachine machine = new FakeMachine(dir)) {
            machine.installed(PACKAGES.toArray(String[]::new)).withNodeAndNpm().withHcl2json().mvnwExits(3);

            Result r = machine.run();

            assertThat(r.exit()).as(r.toString()).isEqualTo(3);
            assertThat(r.calls()).as(r.toString()).containsExactly("start.sh", HCL2JSON, FMT, "mvnw -B verify", "stop.sh");
        }
    }

    @Test
    void setupStartsRadosgwAndLeavesItRunningWithoutRunningTheSuite() throws Exception {
        try (FakeMachine machine = new FakeMachine(dir)) {
            machine.installed(PACKAGES.toArray(String[]::new)).withNodeAndNpm();

            Result r = machine.run("--setup");

            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.calls()).as(r.toString()).containsExactly(NPM_INSTALL, "start.sh");
            assertThat(r.stdout()).contains("./mvnw test -Dtest=");
        }
    }

    @Test
    void ctrlCStopsTheSuiteAndTheRadosgwItStarted() throws Exception {
        try (FakeMachine machine = new FakeMachine(dir)) {
            machine.installed(PACKAGES.toArray(String[]::new)).withNodeAndNpm().withHcl2json().mvnwHangs();
            Process script = machine.start();
            long mvnw = machine.awaitMvnw();

            new ProcessBuilder("kill", "-INT", Long.toString(script.pid())).start().waitFor();

            assertThat(script.waitFor(20, TimeUnit.SECONDS)).as("./test ends on SIGINT").isTrue();
            assertThat(script.exitValue()).isEqualTo(130);
            assertGone(mvnw);
            assertThat(machine.calls()).containsExactly("start.sh", HCL2JSON, FMT, "mvnw -B verify", "stop.sh");
        }
    }

    @Test
    void sigtermStopsTheSuiteButLeavesARadosgwItDidNotStart() throws Exception {
        try (FakeMachine machine = new FakeMachine(dir)) {
            machine.installed(PACKAGES.toArray(String[]::new)).withNodeAndNpm().withHcl2json().radosgwAnswers().mvnwHangs();
            Process script = machine.start();
            long mvnw = machine.awaitMvnw();

            script.destroy(); // SIGTERM

            assertThat(script.waitFor(20, TimeUnit.SECONDS)).as("./test ends on SIGTERM").isTrue();
            assertThat(script.exitValue()).isEqualTo(143);
            assertGone(mvnw);
            assertThat(machine.calls()).containsExactly(HCL2JSON, FMT, "mvnw -B verify");
        }
    }

    private static void assertGone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Optional<ProcessHandle> left = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        left.ifPresent(ProcessHandle::destroyForcibly);
        assertThat(left).as("the suite (mvnw, pid %d) was stopped with ./test", pid).isEmpty();
    }
}
