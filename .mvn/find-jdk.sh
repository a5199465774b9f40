# Sourced by ./mvnw and ./floe. Floe targets Java 21; the default `java` on our machines is 17.
# When JAVA_HOME is unset or points at a JDK older than 21, pick the newest JDK >= 21 under
# /usr/lib/jvm (or /Library/Java on macOS) so that the README's commands work as written.
floe_java_major() { "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1; }
if [ -z "${JAVA_HOME-}" ] || [ "$(floe_java_major "$JAVA_HOME" 2>/dev/null || echo 0)" -lt 21 ] 2>/dev/null; then
  case $- in *f*) floe_noglob=1; set +f ;; *) floe_noglob= ;; esac
  for floe_jdk in $(ls -d /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home 2>/dev/null | sort -r); do
    if [ -x "$floe_jdk/bin/javac" ] && [ "$(floe_java_major "$floe_jdk")" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$floe_jdk"
      break
    fi
  done
  [ -z "$floe_noglob" ] || set -f
fi
