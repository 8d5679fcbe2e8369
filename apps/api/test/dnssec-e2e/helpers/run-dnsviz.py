"""Runs Debian's /usr/bin/dnsviz with its arguments (probe, grok, ...). Not named dnsviz.py: this
file's directory is first on sys.path, and that name would hide the dnsviz package.

Debian bookworm ships dnsviz 0.9.4 with pygraphviz 1.7, which no longer has the module
`pygraphviz.release` that dnsviz's grok/graph/print import to check the version ("pygraphviz is
required, but not installed"). This adds that module, with the installed version, when it is
missing, then runs dnsviz unchanged; with a pygraphviz that has it, this changes nothing.
Run with /usr/bin/python3 (the Debian modules), not a python3 earlier on PATH.
"""
import runpy
import sys
import types

import pygraphviz

if not hasattr(pygraphviz, "release"):
    release = types.ModuleType("pygraphviz.release")
    release.version = pygraphviz.__version__
    sys.modules["pygraphviz.release"] = release
    pygraphviz.release = release

sys.argv = ["dnsviz"] + sys.argv[1:]
runpy.run_path("/usr/bin/dnsviz", run_name="__main__")
