package io.floe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Debian machine made up for {@link TestCommandTest}: a copy of the project's {@code ./test} in a
 * temporary project, and a PATH on which the programs that differ from one machine to the next are
 * fakes or are absent, while every other program is the real one (a folder of links to the real
 * PATH's programs, less the hidden ones).
 *
 * <p>The fakes write each call, one line each, to {@link #calls()}: {@code dpkg-query} reports the
 * packages of {@link #installed}, {@code apt-get} refuses to run unless root (or under the fake
 * {@code sudo}) and "installs" by adding to that list (and for nodejs and npm, by putting fake
 * {@code node} and {@code npm} on the PATH), {@code id -u} prints the chosen user id, {@code npm install}
 * creates the package folder, {@code node} and {@code terraform} only log. In the project,
 * {@code mvnw} and {@code infra/radosgw/start.sh} and {@code stop.sh} only log: the real radosgw is
 * never touched, and the script looks for a running one on a free port (or on {@link #radosgwAnswers()}'s
 * small HTTP server). Used by one test thread.
 */
final class FakeMachine implements AutoCloseable {

    /** Real programs the made-up machine does not have unless a test adds a fake of them. */
    private static final Set<String> HIDDEN = Set.of("sudo", "apt-get", "dpkg-query", "id", "node", "npm", "terraform");
    private static final Path SCRIPT = Path.of(System.getProperty("floetest.project.dir", ".")).resolve("test");

    private final Path dir;
    private final Path project;
    private final Path bin;
    private final Path system;
    private final int radosgwPort;
    private final List<Process> started = new ArrayList<>();
    private HttpServer radosgw;

    FakeMachine(Path dir) throws IOException {
        this.dir = dir;
        this.project = Files.createDirectories(dir.resolve("project"));
        this.bin = Files.createDirectories(dir.resolve("bin"));
        this.system = Files.createDirectories(dir.resolve("system"));
        this.radosgwPort = freePort();
        Files.copy(SCRIPT, project.resolve("test"));
        linkRealPrograms();
        Files.writeString(dir.resolve("installed"), "");
        Files.writeString(dir.resolve("calls"), "");
        user(0);
        fake(bin.resolve("dpkg-query"), """
                status=0
                for p in "$@"; do
                  case "$p" in -*) continue ;; esac
                  if grep -qxF "$p" "$FAKE_MACHINE/installed"; then echo "$p ii "
                  else echo "dpkg-query: no packages found matching $p" >&2; status=1; fi
                done
                exit $status
                """);
        fake(bin.resolve("apt-get"), """
                echo "apt-get $* (DEBIAN_FRONTEND=${DEBIAN_FRONTEND-})" >>"$FAKE_MACHINE/calls"
                if [ "$(id -u)" != 0 ] && [ "${FAKE_SUDO-}" != 1 ]; then
                  echo "E: Could not open lock file - are you root?" >&2; exit 100; fi
                if [ "$1" = install ]; then
                  if [ -e "$FAKE_MACHINE/apt-fails" ]; then echo "E: Unable to locate package" >&2; exit 100; fi
                  for p in "$@"; do
                    case "$p" in -*|install) continue ;; esac
                    echo "$p" >>"$FAKE_MACHINE/installed"
                    case "$p" in nodejs) cp "$FAKE_MACHINE/node" "$FAKE_MACHINE/bin/node" ;;
                                 npm) cp "$FAKE_MACHINE/npm" "$FAKE_MACHINE/bin/npm" ;; esac
                  done
                fi
                """);
        fake(dir.resolve("node"), "echo \"node $*\" >>\"$FAKE_MACHINE/calls\"\n");
        fake(dir.resolve("npm"), """
                echo "npm $*" >>"$FAKE_MACHINE/calls"
                prefix=.; while [ $# -gt 0 ]; do [ "$1" = --prefix ] && prefix=$2; shift; done
                mkdir -p "$prefix/node_modules/@cdktf/hcl2json" && echo '{}' >"$prefix/node_modules/@cdktf/hcl2json/package.json"
                """);
        fake(bin.resolve("terraform"), "echo \"terraform $*\" >>\"$FAKE_MACHINE/calls\"\n");
        fake(project.resolve("mvnw"), """
                echo "mvnw $*" >>"$FAKE_MACHINE/calls"
                echo $$ >"$FAKE_MACHINE/mvnw.pid"
                if [ -e "$FAKE_MACHINE/mvnw-hangs" ]; then exec sleep 60; fi
                exit "$(cat "$FAKE_MACHINE/mvnw-exit" 2>/dev/null || echo 0)"
                """);
        Path radosgwScripts = Files.createDirectories(project.resolve("infra/radosgw"));
        fake(radosgwScripts.resolve("start.sh"), "echo start.sh >>\"$FAKE_MACHINE/calls\"\n");
        fake(radosgwScripts.resolve("stop.sh"), "echo stop.sh >>\"$FAKE_MACHINE/calls\"\n");
    }

    /** dpkg lists these packages as installed. */
    FakeMachine installed(String... packages) throws IOException {
        Files.writeString(dir.resolve("installed"), String.join("\n", packages) + "\n");
        return this;
    }

    /** The script runs as this user id ({@code id -u}). */
    FakeMachine user(int uid) throws IOException {
        fake(bin.resolve("id"), "echo " + uid + "\n");
        return this;
    }

    FakeMachine withSudo() throws IOException {
        fake(bin.resolve("sudo"), "echo \"sudo $*\" >>\"$FAKE_MACHINE/calls\"\nFAKE_SUDO=1 exec \"$@\"\n");
        return this;
    }

    FakeMachine withNodeAndNpm() throws IOException {
        Files.copy(dir.resolve("node"), bin.resolve("node"));
        Files.copy(dir.resolve("npm"), bin.resolve("npm"));
        return this;
    }

    FakeMachine withHcl2json() throws IOException {
        Path pkg = Files.createDirectories(project.resolve(".tools/node_modules/@cdktf/hcl2json"));
        Files.writeString(pkg.resolve("package.json"), "{}");
        return this;
    }

    FakeMachine withoutTerraform() throws IOException {
        Files.delete(bin.resolve("terraform"));
        return this;
    }

    /** apt-get install fails (a package the sources lack, a full disk...). */
    FakeMachine aptGetFails() throws IOException {
        Files.writeString(dir.resolve("apt-fails"), "");
        return this;
    }

    FakeMachine mvnwExits(int status) throws IOException {
        Files.writeString(dir.resolve("mvnw-exit"), Integer.toString(status));
        return this;
    }

    /** mvnw runs until killed (a suite in progress). */
    FakeMachine mvnwHangs() throws IOException {
        Files.writeString(dir.resolve("mvnw-hangs"), "");
        return this;
    }

    /** Something answers HTTP on the port the script checks, as a radosgw started earlier would. */
    FakeMachine radosgwAnswers() throws IOException {
        radosgw = HttpServer.create(new InetSocketAddress("127.0.0.1", radosgwPort), 0);
        radosgw.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        radosgw.start();
        return this;
    }

    /** Starts {@code ./test} with these arguments, SIGINT and SIGTERM at their default actions. */
    Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("/usr/bin/env", "--default-signal=INT,TERM",
                project.resolve("test").toString()));
        command.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("FLOE_"));
        pb.environment().put("PATH", bin + File.pathSeparator + system);
        pb.environment().put("FAKE_MACHINE", dir.toString());
        pb.environment().put("FLOE_RADOSGW_PORT", Integer.toString(radosgwPort));
        pb.redirectOutput(dir.resolve("stdout").toFile());
        pb.redirectError(dir.resolve("stderr").toFile());
        Process p = pb.start();
        started.add(p);
        return p;
    }

    /** Runs {@code ./test} to its end. */
    Result run(String... args) throws Exception {
        Process p = start(args);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("./test did not finish within 60 s; stdout:\n" + stdout() + "\nstderr:\n" + stderr());
        }
        return new Result(p.exitValue(), stdout(), stderr(), calls());
    }

    record Result(int exit, String stdout, String stderr, List<String> calls) {
        @Override
        public String toString() {
            return "exit " + exit + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr + "\ncalls: " + calls;
        }
    }

    /** The calls to the fakes so far, in order. */
    List<String> calls() throws IOException {
        return Files.readAllLines(dir.resolve("calls"));
    }

    /** The process id of the fake mvnw once it has started. */
    long awaitMvnw() throws Exception {
        Path pid = dir.resolve("mvnw.pid");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.exists(pid) || Files.readString(pid).isBlank()) {
            assertThat(System.nanoTime()).as("mvnw started within 30 s; stderr:\n" + stderr()).isLessThan(deadline);
            Thread.sleep(20);
        }
        return Long.parseLong(Files.readString(pid).trim());
    }

    String stdout() throws IOException {
        return Files.readString(dir.resolve("stdout"));
    }

    String stderr() throws IOException {
        return Files.readString(dir.resolve("stderr"));
    }

    /**
     * Kills what a failed test left running, stops the stand-in radosgw and removes the links to real
     * programs (so that JUnit need not warn about them).
     */
    @Override
    public void close() throws IOException {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        if (radosgw != null) {
            radosgw.stop(0);
        }
        try (Stream<Path> links = Files.list(system)) {
            for (Path link : (Iterable<Path>) links::iterator) {
                Files.delete(link);
            }
        }
    }

    private void linkRealPrograms() throws IOException {
        Set<String> linked = new HashSet<>(HIDDEN);
        for (String entry : System.getenv("PATH").split(File.pathSeparator)) {
            Path folder = Path.of(entry.isEmpty() ? "." : entry);
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (Stream<Path> programs = Files.list(folder)) {
                for (Path program : (Iterable<Path>) programs::iterator) {
                    String name = program.getFileName().toString();
                    if (Files.isExecutable(program) && !Files.isDirectory(program) && linked.add(name)) {
                        Files.createSymbolicLink(system.resolve(name), program.toAbsolutePath());
                    }
                }
            }
        }
    }

    private static void fake(Path file, String body) throws IOException {
        Files.deleteIfExists(file);
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
