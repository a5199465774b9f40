#!/usr/bin/env python3
"""Writes the Lambda package's lists of classes to leave out of two large jars (docs/DEPLOYMENT.md, "Package size").

The Lambda build serves REST only, and two of its jars are mostly unused there:
- kafka-clients (3,700 classes, 8.9 MB): the Lambda build needs only what Floe's code outside the Kafka
  listener reaches (record batches, compression, ConfigDef, SCRAM, a few errors and utilities). The
  listener (io.floe.api.kafka, io.floe.runtime.KafkaWiring) is left out of the Lambda build's beans, so
  none of its classes is loaded; its settings records (KafkaSettings, KafkaTls) are, and count.
- aws-lambda-java-events (330 classes): Quarkus' Lambda HTTP handler uses the API Gateway v2 event and
  its S3 event reader; the other event types are never built.
For each, this script computes the classes the rest of the package can reach: the class-level closure
of `jdeps -verbose:class` from the classes that use it in target/lambda/function.zip (the application,
the code Quarkus generated, Quarkus' Lambda extension) into the jar as Maven Central ships it. Every other class
of the jar (and kafka-clients' message schemas, read by Kafka's code generator only) is written to
  quarkus.class-loading.removed-resources."<group>\\:<artifact>"=...
in src/lambda/resources/META-INF/microprofile-config.properties. Run it after a Lambda package build
whenever Floe's REST path starts to use more of either jar (the Lambda tests fail with
NoClassDefFoundError when the lists are stale), then build again:

    ./mvnw -B -q -o -Dlambda package -DskipTests && infra/lambda/lean-package.py \\
      && ./mvnw -B -o -Dlambda verify
"""
import collections
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROPS = os.path.join(ROOT, "src/lambda/resources/META-INF/microprofile-config.properties")
PACKAGE = os.path.join(ROOT, "target/lambda/function.zip")
# group, artifact, the package prefix of its classes, what uses it (class name prefixes), other entries to remove
JARS = [
    ("org.apache.kafka", "kafka-clients", "org.apache.kafka.", ("io.floe.",), r"common/message/.*\.json$"),
    ("com.amazonaws", "aws-lambda-java-events", "com.amazonaws.services.lambda.runtime.events.",
     ("io.floe.", "io.quarkus."), None),
]
# The jars whose classes may use them (besides the application and the code Quarkus generated). Others do
# too (Micrometer's Kafka binder, for one), but are switched off here and never loaded.
USERS = r"io\.quarkus\.quarkus-amazon-lambda"


def jdeps(path, into):
    home = os.environ.get("JAVA_HOME") or os.path.dirname(os.path.dirname(os.path.realpath(shutil.which("java"))))
    out = subprocess.run([os.path.join(home, "bin", "jdeps"), "-verbose:class", "-filter:none", "--multi-release",
                          "21", path], capture_output=True, text=True).stdout  # some jars upset jdeps; what it read counts
    for line in out.splitlines():
        p = line.split()
        if len(p) >= 3 and p[1] == "->":
            into[p[0]].add(p[2])


def listener(c):
    """Floe's Kafka listener: not a bean of the Lambda build, so never loaded there (its settings records are)."""
    if c.startswith("io.floe.runtime.KafkaWiring"):
        return True
    return c.startswith("io.floe.api.kafka.") and not re.match(r"io\.floe\.api\.kafka\.(KafkaSettings|KafkaTls)\b", c)


def original(group, artifact):
    """The jar as Maven Central ships it (the package holds the trimmed one)."""
    version = [n for n in zipfile.ZipFile(PACKAGE).namelist()
               if re.match(r"lib/(modified-)?%s\.%s-[0-9]" % (re.escape(group), re.escape(artifact)), n)]
    if len(version) != 1:
        sys.exit("%s:%s not found in %s" % (group, artifact, PACKAGE))
    v = re.sub(r"\.jar$", "", version[0]).split(artifact + "-", 1)[1]
    jar = os.path.expanduser("~/.m2/repository/%s/%s/%s/%s-%s.jar" % (group.replace(".", "/"), artifact, v, artifact, v))
    if not os.path.exists(jar):
        sys.exit("not found: " + jar)
    return jar


def main():
    if not os.path.exists(PACKAGE):
        sys.exit("no " + PACKAGE + ": run ./mvnw -B -Dlambda package -DskipTests first")
    text = open(PROPS).read()
    with tempfile.TemporaryDirectory() as tmp:
        pkg = os.path.join(tmp, "package")
        zipfile.ZipFile(PACKAGE).extractall(pkg)
        graph = collections.defaultdict(set)
        for top in os.listdir(pkg):
            if top not in ("lib", "META-INF") and os.path.isdir(os.path.join(pkg, top)):
                jdeps(os.path.join(pkg, top), graph)
        targets = {}
        for group, artifact, prefix, users, extra in JARS:
            jar = original(group, artifact)
            unpacked = os.path.join(tmp, artifact)
            with zipfile.ZipFile(jar) as z:
                z.extractall(unpacked)
                targets[artifact] = (z.namelist(), prefix, users, extra, group)
            jdeps(unpacked, graph)
        for lib in glob.glob(os.path.join(pkg, "lib", "*.jar")):
            if re.match(USERS, os.path.basename(lib)):
                jdeps(lib, graph)
        for artifact, (names, prefix, users, extra, group) in targets.items():
            todo = [c for c in graph if c.startswith(users) and not listener(c)]
            seen = set()
            while todo:
                c = todo.pop()
                if c in seen:
                    continue
                seen.add(c)
                todo.extend(d for d in graph.get(c, ()) if d.startswith(prefix) or (d.startswith("io.floe.")
                                                                                   and not listener(d)))
            keep = {c.replace(".", "/") + ".class" for c in seen if c.startswith(prefix)}
            removed = sorted(n for n in names if (n.endswith(".class") and not n.startswith("META-INF/")
                                                   and n not in keep) or (extra and re.match(extra, n)))
            key = 'quarkus.class-loading.removed-resources."%s\\:%s"=' % (group, artifact)
            lines = text.split("\n")
            at = [i for i, l in enumerate(lines) if l.startswith(key)]
            if len(at) != 1:
                sys.exit("expected one line starting with " + key + " in " + PROPS)
            lines[at[0]] = key + ",".join(removed)
            text = "\n".join(lines)
            print("%s: %d classes kept, %d entries removed" % (artifact, len(keep), len(removed)))
    open(PROPS, "w").write(text)


if __name__ == "__main__":
    main()
