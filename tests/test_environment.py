"""The three descriptions of the course environment agree: pip (requirements.txt), conda
(environment.yml) and Binder (binder/), and they all name the same kernel."""
import re
from pathlib import Path

import yaml

from bncourse import notebook
from bncourse.tools import student

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s;#]+)$")


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lines):
    """{package: version} of the `name==version` lines; other lines (comments, -e .) skipped."""
    found = {}
    for line in lines:
        line = line.split("#", 1)[0].strip()
        m = PIN.match(line)
        if m:
            found[canonical(m.group(1))] = m.group(2)
    return found


def conda_env(path):
    env = yaml.safe_load(path.read_text())
    deps = env["dependencies"]
    pip = next(d["pip"] for d in deps if isinstance(d, dict) and "pip" in d)
    conda = [d for d in deps if isinstance(d, str)]
    return env, conda, pip


def requirement_lines():
    return (ROOT / "requirements.txt").read_text().splitlines()


def makefile_kernel():
    return re.search(r"^KERNEL\s*:?=\s*(\S+)", (ROOT / "Makefile").read_text(), flags=re.M).group(1)


def test_every_requirement_is_pinned_exactly():
    for line in requirement_lines():
        line = line.split("#", 1)[0].strip()
        if line and line != "-e .[course]":
            assert PIN.match(line), f"requirements.txt: {line!r} is not pinned with =="


def test_environment_yml_pins_the_same_versions_as_requirements_txt():
    _, conda, pip = conda_env(ROOT / "environment.yml")
    assert pins(pip) == pins(requirement_lines())
    assert "-e .[course]" in pip and "-e .[course]" in requirement_lines(), "both install bnlib and bncourse"
    assert "python=3.11" in conda and "pip" in conda


def test_binder_environment_pins_the_same_versions():
    _, conda, pip = conda_env(ROOT / "binder" / "environment.yml")
    assert pins(pip) == pins(requirement_lines())
    assert "python=3.11" in conda
    # Binder builds the environment before the repository is copied in: no local install here
    assert not any(p.startswith("-e") for p in pip)
    assert "pip install --no-deps -e ." in (ROOT / "binder" / "postBuild").read_text()


def test_the_kernel_has_one_name_everywhere():
    kernel = makefile_kernel()
    assert conda_env(ROOT / "environment.yml")[0]["name"] == kernel
    assert conda_env(ROOT / "binder" / "environment.yml")[0]["name"] == kernel
    # make env and Binder register it with one command, which takes its name from the notebook model
    assert "python -m bncourse.tools.kernel" in (ROOT / "Makefile").read_text()
    assert "python -m bncourse.tools.kernel" in (ROOT / "binder" / "postBuild").read_text()
    # every notebook asks for this kernel by name (bncourse/tools/student.py writes the kernelspec)
    assert notebook.KERNELSPEC["name"] == kernel and notebook.KERNELSPEC["language"] == "python"


def test_the_course_kernel_loads_the_course_display():
    """The kernel that shows the checkers sets up how a failure and a figure look; importing them
    installs nothing."""
    from jupyter_client.kernelspec import KernelSpecManager
    spec = KernelSpecManager().get_kernel_spec(notebook.KERNEL)
    assert "--ext=bncourse.display" in spec.argv
    assert spec.display_name == notebook.KERNELSPEC["display_name"]


def test_binder_postbuild_is_an_executable_script():
    post = ROOT / "binder" / "postBuild"
    assert post.read_text().startswith("#!/bin/bash")
    assert post.stat().st_mode & 0o111, "chmod +x binder/postBuild"


def test_browser_requirements_are_pinned_and_separate():
    lines = (ROOT / "requirements-browser.txt").read_text().splitlines()
    browser = pins(lines)
    assert "playwright" in browser
    assert not set(browser) & set(pins(requirement_lines())), "make lab stays light"


def test_readme_has_the_binder_steps():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Binder", 1)[1].split("\n## ", 1)[0]
    for words in ("binder/environment.yml", "binder/postBuild", "urlpath=lab/tree/notebooks/00-start-here.ipynb",
                  "repo2docker"):
        assert words in section, f"README's Binder section does not mention {words}"
