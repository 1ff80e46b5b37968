#!/usr/bin/env python3
"""Where the samples of a JFR recording fall: top methods by self samples, and by inclusive samples
for the code families that matter to imgpipe (its own code, ImageIO's codecs, XML-RPC, zip, Akka).

    bench/jfr-top.py RECORDING.jfr [TOP]
"""
import collections
import subprocess
import sys

FAMILIES = ("org.imgpipe.", "com.sun.imageio.", "com.twelvemonkeys.", "org.apache.xmlrpc.", "java.util.zip.",
            "java.util.Base64", "com.sun.org.apache.xerces.", "sun.awt.image.", "java.awt.image.", "akka.")


def frames(path):
    out = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "96", path],
                         capture_output=True, text=True, check=True).stdout
    stack, inside = [], False
    for line in out.splitlines():
        s = line.strip()
        if s.startswith("stackTrace = ["):
            stack, inside = [], True
        elif inside and s == "]":
            inside = False
            yield stack
        elif inside and s and s != "...":
            stack.append(s.split("(")[0])


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    self_count, incl = collections.Counter(), collections.Counter()
    total = 0
    for st in frames(path):
        if not st:
            continue
        total += 1
        self_count[st[0]] += 1
        for m in set(st):
            if m.startswith(FAMILIES):
                incl[m] += 1
    print(f"{total} samples")
    print("\nself (top frame):")
    for m, n in self_count.most_common(top):
        print(f"  {100.0 * n / total:5.1f}%  {m}")
    print("\ninclusive (imgpipe, codecs, XML-RPC, zip, Akka):")
    for m, n in incl.most_common(top):
        print(f"  {100.0 * n / total:5.1f}%  {m}")


if __name__ == "__main__":
    main()
