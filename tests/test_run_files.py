"""Run files that never lie: a kill at any write to the file leaves the finished
cycles readable and resumes to the uninterrupted result; readers always see whole
versions; one writer at a time; a full disk or a lost permission stops the run with
its cycles kept; a damaged file is a one-line error within seconds.

The kills use ``tests/tools/killwrite.c``, a preloaded shim that SIGKILLs the process
just before the N-th write to a file whose name ends in ".h5" (the run file and the
private copy each version is written to both do)."""

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

import afb_models
from afb_models import cli
from afb_models.store import RunFileBusy, RunFileError, WriteLock, read_state
from conftest import as_a_user

DATA = Path(__file__).parent / "data"
TOOLS = Path(__file__).parent / "tools"
SHORT = DATA / "short.toml"  # a formation cycle, then fast cycles
CELL = "AFB_Li_NMC532_Cu"
CYCLES = 3


def afb(*args, cwd, env=None, **kwargs):
    return subprocess.run(
        [sys.executable, "-m", "afb_models.cli", *map(str, args)],
        capture_output=True, text=True, cwd=cwd, timeout=600, env=env, **kwargs,
    )


def run_args(out, cycles=CYCLES, *extra):
    return ["run", SHORT, "--cycles", cycles, "--out", out, *extra]


@pytest.fixture(scope="module")
def killwrite(tmp_path_factory):
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        pytest.skip("no C compiler to build tests/tools/killwrite.c")
    shim = tmp_path_factory.mktemp("shim") / "killwrite.so"
    subprocess.run([compiler, "-shared", "-fPIC", "-O2", "-o", str(shim),
                    str(TOOLS / "killwrite.c"), "-ldl"], check=True)
    return shim


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """An uninterrupted run, and the file as it was after each version: the
    creation (0 cycles) and every cycle."""
    folder = tmp_path_factory.mktemp("reference")
    out = folder / "run.h5"
    versions = {}

    def keep(result):  # called once the cycle's version is in place
        versions[result.cycle] = (afb_models.load(out), read_state(out))

    simulator = afb_models.CycleSimulator(CELL, SHORT, cycles=CYCLES)
    run = simulator.simulate(out=out, on_cycle=keep)
    assert run.status == "completed"
    return run, versions


def assert_same_version(path, version):
    """The file holds exactly the cycles, series and state of ``version``."""
    expected, (cycle, time_s, state) = version
    got = afb_models.load(path)
    for name in ("cycles", "series"):
        a, b = getattr(got, name), getattr(expected, name)
        assert set(a.variables) == set(b.variables)
        for var in b.variables:
            np.testing.assert_array_equal(a[var].values, b[var].values, err_msg=var)
    got_cycle, got_time, got_state = read_state(path)
    assert (got_cycle, got_time) == (cycle, time_s)
    assert set(got_state) == set(state)
    for name, values in state.items():
        np.testing.assert_array_equal(got_state[name], values, err_msg=name)


def assert_same_result(got, expected):
    """A resumed run against the uninterrupted one: per-cycle values within 1e-6
    of each quantity's largest magnitude over the run (a resumed cycle starts from
    the stored state, bit for bit; what differs is the solver's first step, whose
    error control is at 1e-8)."""
    assert got.status == expected.status
    np.testing.assert_array_equal(got.cycles["cycle"].values, expected.cycles["cycle"])
    for name, values in expected.cycles.data_vars.items():
        if values.dtype.kind != "f":
            np.testing.assert_array_equal(got.cycles[name].values, values.values)
            continue
        scale = float(np.max(np.abs(values.values)))
        np.testing.assert_allclose(got.cycles[name].values, values.values, rtol=0,
                                   atol=1e-6 * scale, err_msg=name)


# --- 1. a kill at every write ----------------------------------------------------------


def _writes_of_a_run(killwrite, folder):
    env = dict(os.environ, LD_PRELOAD=str(killwrite), KILLWRITE_N="0")
    result = afb(*run_args(folder / "run.h5"), cwd=folder, env=env)
    assert result.returncode == 0, result.stderr
    return int(result.stderr.split("killwrite:")[1].split()[0])


def _killed_at(killwrite, n, folder):
    folder.mkdir()
    env = dict(os.environ, LD_PRELOAD=str(killwrite), KILLWRITE_N=str(n))
    result = afb(*run_args(folder / "run.h5"), cwd=folder, env=env)
    return n, result, folder / "run.h5"


# (slow: ~60 s, a killed run per write of the file, two at a time; the default suite
# keeps tests/test_runner_store.py's SIGKILL between writes)
@pytest.mark.slow
def test_a_kill_at_every_write_keeps_the_finished_cycles_and_resumes_to_the_same_run(
        killwrite, reference, tmp_path):
    expected, versions = reference
    n_writes = _writes_of_a_run(killwrite, tmp_path)
    # creation, 4 cycles and the end: a version each, each at least one write
    assert n_writes >= CYCLES + 2
    with ThreadPoolExecutor(max(2, os.cpu_count() or 2)) as pool:
        killed = list(pool.map(lambda n: _killed_at(killwrite, n, tmp_path / f"kill{n}"),
                               range(1, n_writes + 1)))
    finished_at_kill = []
    for n, result, path in killed:
        assert result.returncode == -signal.SIGKILL, (n, result.stderr)
        if not path.exists():
            # killed while the file was being created: no file, nothing finished
            assert not finished_at_kill, n
            continue
        # it opens, as a run file and in xarray, and holds what had finished
        for group in ("cycles", "series", "state"):
            xr.open_dataset(path, group=group, engine="h5netcdf").load().close()
        run = afb_models.load(path)
        assert run.status == "running"
        k = run.cycles.sizes["cycle"]
        if k:
            assert_same_version(path, versions[k])
        else:
            assert read_state(path)[0] == 0 and run.series.sizes.get("point", 0) == 0
        assert cli.main(["show", str(path)]) == 0
        finished_at_kill.append(k)

        resumed = afb_models.resume(path)
        assert_same_result(resumed, expected)
        assert not list(path.parent.glob(".*.partial.h5"))  # the resume cleared it
    # the kills fell in the creation, the first cycle, later cycles and the end
    assert sorted(set(finished_at_kill)) == list(range(CYCLES + 1))
    assert finished_at_kill[-1] == CYCLES  # killed while recording the end


# --- 2. readers during a run -----------------------------------------------------------


def test_readers_always_see_the_finished_cycles_while_a_run_writes(tmp_path):
    out = tmp_path / "run.h5"
    process = subprocess.Popen(
        [sys.executable, "-m", "afb_models.cli", *map(str, run_args(out, 8))],
        cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    seen = []
    while process.poll() is None:
        if out.exists():
            # afb's reader and xarray's (which takes HDF5's file lock) both, each
            # time a whole version with its cycles numbered from 1
            cycles = afb_models.load(out).cycles["cycle"].values
            assert list(cycles) == list(range(1, cycles.size + 1))
            with xr.open_dataset(out, group="cycles", engine="h5netcdf") as ds:
                assert ds.sizes["cycle"] >= cycles.size
            seen.append(cycles.size)
    assert process.wait() == 0, process.stderr.read()
    assert seen == sorted(seen) and len(set(seen)) >= 3, seen
    assert afb_models.load(out).cycles.sizes["cycle"] == 8


# --- 3. one writer ---------------------------------------------------------------------


def _wait_for_cycles(path, n, process, limit=300):
    deadline = time.time() + limit
    while time.time() < deadline and process.poll() is None:
        if path.exists() and afb_models.load(path).cycles.sizes["cycle"] >= n:
            return
        time.sleep(0.02)
    raise AssertionError(f"{path}: {n} cycles not reached")


def test_a_second_writer_is_refused_and_a_killed_runs_lock_blocks_nothing(tmp_path):
    out = tmp_path / "run.h5"
    # long enough to be running while the others try
    first = subprocess.Popen(
        [sys.executable, "-m", "afb_models.cli", *map(str, run_args(out, 500))],
        cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_cycles(out, 1, first)
        for args in (["run", "--resume", out], run_args(out, 8, "--force")):
            result = afb(*args, cwd=tmp_path)
            assert result.returncode == 2, result.stderr
            assert result.stderr.count("\n") == 1
            assert "another run" in result.stderr and str(first.pid) in result.stderr
        with pytest.raises(RunFileBusy):
            afb_models.CycleSimulator(CELL, SHORT, cycles=1).simulate(out=out,
                                                                      overwrite=True)
        with pytest.raises(RunFileBusy):
            afb_models.resume(out)
    finally:
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
    # the killed run's lock file is left behind, and stops nobody
    assert (tmp_path / ".run.h5.lock").exists()
    finished = afb_models.load(out).cycles.sizes["cycle"]
    assert 1 <= finished < 500
    result = afb("run", "--resume", out, "--cycles", finished + 1, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    run = afb_models.load(out)
    assert run.status == "completed" and run.cycles.sizes["cycle"] == finished + 1
    assert not (tmp_path / ".run.h5.lock").exists()


def test_two_runs_started_together_on_one_file(tmp_path):
    out = tmp_path / "run.h5"
    args = [sys.executable, "-m", "afb_models.cli", *map(str, run_args(out, 3))]
    both = [subprocess.Popen(args, cwd=tmp_path, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True) for _ in range(2)]
    codes = sorted(p.wait() for p in both)
    messages = [p.stderr.read() for p in both]
    # one runs; the other is refused (busy, or the file exists once the first is done)
    assert codes == [0, 2], messages
    run = afb_models.load(out)
    assert run.status == "completed" and list(run.cycles["cycle"].values) == [1, 2, 3]


def test_the_lock_is_reentrant_within_a_thread(tmp_path):
    path = tmp_path / "run.h5"
    with WriteLock(path):
        # what the command line holds, the library it calls takes again
        run = afb_models.simulate(CELL, SHORT, cycles=1, out=path)
        assert run.status == "completed"
        assert (tmp_path / ".run.h5.lock").exists()
    assert not (tmp_path / ".run.h5.lock").exists()


# --- 4. a full disk, a lost permission ---------------------------------------------------


def _sizes_of_versions(tmp_path, cycles, series_points):
    out = tmp_path / "sizes.h5"
    sizes = []
    afb_models.CycleSimulator(CELL, SHORT, cycles=cycles, series_points=series_points) \
        .simulate(out=out, on_cycle=lambda r: sizes.append(out.stat().st_size))
    out.unlink()
    return sizes


def test_a_full_disk_stops_the_run_with_its_finished_cycles_kept(tmp_path):
    # with 100 points per step the file grows by whole chunks every few cycles: a
    # file-size limit between two sizes makes the write of a later cycle fail
    sizes = _sizes_of_versions(tmp_path, 8, 100)
    grows = next(k for k in range(1, len(sizes)) if sizes[k] > sizes[k - 1])
    limit = (sizes[grows - 1] + sizes[grows]) // 2

    def limit_file_size():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    out = tmp_path / "run.h5"
    result = afb(*run_args(out, 8, "--series-points", 100), cwd=tmp_path,
                 preexec_fn=limit_file_size)
    assert result.returncode == 1, result.stderr  # not a crash of the interpreter
    assert result.stderr.count("\n") == 1
    assert "File too large" in result.stderr and "finished cycles are kept" in result.stderr
    run = afb_models.load(out)
    assert run.cycles.sizes["cycle"] == grows  # every cycle before the failed write
    # the end fits under the limit, so the reason is recorded too
    assert run.status.startswith("stopped:") and "File too large" in run.status
    assert not list(tmp_path.glob(".*.partial.h5"))


def test_a_permission_lost_mid_run_stops_it_with_its_cycles_kept(tmp_path):
    folder = tmp_path / "runs"
    folder.mkdir()
    out = folder / "run.h5"
    process = subprocess.Popen(
        [sys.executable, "-m", "afb_models.cli", *map(str, run_args(out, 8))],
        cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=as_a_user,
    )
    try:
        _wait_for_cycles(out, 2, process)
        folder.chmod(0o555)
        stdout, stderr = process.communicate(timeout=300)
    finally:
        folder.chmod(0o755)
        if process.poll() is None:
            process.kill()
    assert process.returncode == 1, stderr
    assert stderr.count("\n") == 1 and "Permission denied" in stderr, stderr
    run = afb_models.load(out)
    assert 2 <= run.cycles.sizes["cycle"] < 8
    assert run.status == "running"  # the end could not be recorded: it is printed
    assert afb_models.resume(out).cycles.sizes["cycle"] == 8


# --- 5. damaged files ----------------------------------------------------------------


_DAMAGE_WORKER = r"""
import json, sys, time
import numpy as np
import afb_models
from afb_models.store import RunFileError, read_state

source, damaged = sys.argv[1], sys.argv[2]
good, good_state = afb_models.load(source), read_state(source)
data = open(source, "rb").read()

def same(run, state):
    for name in ("cycles", "series"):
        a, b = getattr(run, name), getattr(good, name)
        if set(a.variables) != set(b.variables):
            return False
        if not all(np.array_equal(a[v].values, b[v].values) and a[v].attrs == b[v].attrs
                   for v in b.variables):
            return False
    return (run.metadata == good.metadata and state[:2] == good_state[:2]
            and all(np.array_equal(state[2][k], good_state[2][k]) for k in good_state[2]))

for spec in sys.stdin:
    offset, width = map(int, spec.split())
    b = bytearray(data)
    b[offset:offset + width] = bytes(len(b[offset:offset + width]))
    open(damaged, "wb").write(b)
    start = time.perf_counter()
    try:
        outcome = "same" if same(afb_models.load(damaged), read_state(damaged)) else "wrong"
    except RunFileError as e:
        outcome = "error" if "\n" not in str(e) else "long error"
    print(json.dumps([offset, width, outcome, time.perf_counter() - start]), flush=True)
"""


def test_zeros_anywhere_in_a_run_file_are_an_error_or_change_nothing(tmp_path):
    source = tmp_path / "good.h5"
    afb_models.simulate(CELL, SHORT, cycles=2, out=source)
    size = source.stat().st_size
    # 4 KiB of zeros at every 4 KiB of the file, and 13 bytes at uneven places
    specs = [(o, 4096) for o in range(0, size, 4096)]
    specs += [(o, 13) for o in range(100, size, 7919)]
    worker = subprocess.run(
        [sys.executable, "-c", _DAMAGE_WORKER, str(source), str(tmp_path / "bad.h5")],
        input="".join(f"{o} {w}\n" for o, w in specs), capture_output=True, text=True,
        timeout=240,  # it never spins: each file is decided in milliseconds
    )
    assert worker.returncode == 0, worker.stderr[-2000:]
    outcomes = [json.loads(line) for line in worker.stdout.splitlines()]
    assert len(outcomes) == len(specs)
    for offset, width, outcome, seconds in outcomes:
        # zeros over bytes that were zeros already (unused space) change nothing
        assert outcome in ("error", "same"), (offset, width, outcome)
        assert seconds < 5, (offset, seconds)
    assert sum(o[2] == "error" for o in outcomes) > len(outcomes) / 5


@pytest.mark.parametrize("damage", ["zeros", "truncated", "empty", "text", "folder"])
def test_a_damaged_file_is_one_line_and_exit_2_for_show_resume_and_load(
        tmp_path, damage, capsys):
    path = tmp_path / "run.h5"
    if damage == "folder":
        path.mkdir()
    elif damage == "text":
        path.write_text("not a run file\n")
    elif damage == "empty":
        path.touch()
    else:
        afb_models.simulate(CELL, SHORT, cycles=1, out=path)
        data = bytearray(path.read_bytes())
        if damage == "zeros":
            data[8192:12288] = bytes(4096)
        else:
            data = data[: len(data) // 2]
        path.write_bytes(data)
    before = path.stat()
    # the command lines, in this process: one line, exit status 2, nothing written
    for args in (["show", path], ["plot", path, "-o", tmp_path / "p.png"]):
        assert cli.main(list(map(str, args))) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and str(path) in err
    assert not (tmp_path / "p.png").exists()
    with pytest.raises(RunFileError):
        afb_models.load(path)
    # and as a user runs it, within seconds
    start = time.perf_counter()
    result = afb("run", "--resume", path, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert str(path) in result.stderr
    assert time.perf_counter() - start < 30
    assert path.stat().st_mtime == before.st_mtime  # nothing wrote to it


# --- 6. resume -------------------------------------------------------------------------


def _killed_run(tmp_path, cell_file, after=2):
    """A run of far more cycles than it will get, killed once ``after`` have
    finished (the count it reached is read back: a loaded machine may let it do
    a few more before the kill lands)."""
    out = tmp_path / "run.h5"
    process = subprocess.Popen(
        [sys.executable, "-m", "afb_models.cli", "run", str(SHORT), "--cycles",
         "500", "--cell", str(cell_file), "--out", str(out)],
        cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_cycles(out, after, process)
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    run = afb_models.load(out)
    finished = run.cycles.sizes["cycle"]
    assert run.status == "running" and after <= finished < 500
    return out, finished


def test_resume_refuses_a_changed_cell_file_unless_told_and_then_keeps_the_runs_values(
        tmp_path):
    cell_file = tmp_path / "cell.toml"
    cell_file.write_text(f'base = "{CELL}"\n[parameters]\n'
                         '"Positive electrode thickness [m]" = 45e-6\n')
    out, finished = _killed_run(tmp_path, cell_file)
    total = finished + 2
    expected = afb_models.simulate(cell_file, SHORT, cycles=total)
    # the cell file is edited while the run is stopped: 3 % more cathode
    cell_file.write_text(cell_file.read_text().replace("45e-6", "46.35e-6"))
    result = afb("run", "--resume", out, "--cycles", total, cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "has changed since the run started" in result.stderr
    assert "--accept-changed-cell" in result.stderr
    assert afb_models.load(out).status == "running"  # untouched

    result = afb("run", "--resume", out, "--cycles", total, "--accept-changed-cell",
                 cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    resumed = afb_models.load(out)
    # the run's stored parameters, not the edited file's
    assert resumed.parameters["Positive electrode thickness [m]"] == 45e-6
    assert resumed.cycles.sizes["cycle"] == total
    for name in ("Discharge capacity", "Charge capacity"):
        np.testing.assert_allclose(resumed.cycles[name].values,
                                   expected.cycles[name].values, rtol=1e-6)
    assert "cell" in json.loads(resumed.metadata["source"])["accepted_changes"][0]


@pytest.fixture(scope="module")
def stopped_run(tmp_path_factory):
    """A run file stopped after its second cycle (resumable)."""
    out = tmp_path_factory.mktemp("stopped") / "run.h5"
    afb_models.simulate(CELL, SHORT, cycles=2, out=out)
    _restatus(out, "stopped: interrupted")
    return out


@pytest.mark.parametrize("flags", [
    ["--cell", "AFB_Li_Cu"],
    ["--set", "Separator thickness [m]=2e-5"],
    ["--option", "SEI=none"],
    ["--series-points", "3"],
    ["--force"],
    ["--out", "other.h5"],
    ["--timings"],
    ["louli2020"],  # a protocol
    ["--cycles", "2"],  # no more than the run already has
], ids=lambda flags: flags[0])
def test_resume_refuses_what_it_cannot_honour(stopped_run, tmp_path, flags, capsys,
                                              monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "run.h5"
    shutil.copy(stopped_run, out)
    args = ["run", "--resume", str(out), *flags]
    if flags == ["louli2020"]:
        args = ["run", "louli2020", "--resume", str(out)]
    assert cli.main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert (flags[0] if flags[0] != "louli2020" else "a protocol") in err or "cycles" in err
    assert afb_models.load(out).status == "stopped: interrupted"
    assert not (tmp_path / "other.h5").exists()


def test_resume_with_more_cycles_extends_a_completed_run(reference, tmp_path):
    expected, _ = reference
    out = tmp_path / "run.h5"
    afb_models.simulate(CELL, SHORT, cycles=2, out=out)
    result = afb("run", "--resume", out, cwd=tmp_path)
    assert result.returncode == 2 and "has ended" in result.stderr
    result = afb("run", "--resume", out, "--cycles", CYCLES, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert_same_result(afb_models.load(out), expected)


def _restatus(path, status):
    """Rewrite a finished file's status the way afb writes a version."""
    from afb_models.store import RunFile, _put_text

    with WriteLock(path):
        RunFile(path)._publish(lambda f: _put_text(f.attrs, "status", status))


# --- 7. exit statuses ------------------------------------------------------------------


def test_an_internal_error_exits_3_with_its_traceback_and_the_file_records_it(
        tmp_path, monkeypatch, capsys):
    from afb_models import observables

    calls = {"n": 0}
    original = observables.summarise

    def broken(*args, **kwargs):  # a bug in the second cycle's summary
        calls["n"] += 1
        if calls["n"] == 2:
            raise ZeroDivisionError("a bug")
        return original(*args, **kwargs)

    monkeypatch.setattr("afb_models.runner.summarise", broken)
    out = tmp_path / "run.h5"
    assert cli.main(list(map(str, run_args(out, 3)))) == 3
    err = capsys.readouterr().err
    assert "Traceback" in err and "internal error" in err and "ZeroDivisionError" in err
    run = afb_models.load(out)
    assert run.cycles.sizes["cycle"] == 1
    assert run.status == "stopped: internal error: ZeroDivisionError: a bug"


def test_a_closed_pipe_ends_quietly(tmp_path):
    path = tmp_path / "run.h5"
    afb_models.simulate(CELL, SHORT, cycles=3, out=path)
    for command in (f"{sys.executable} -m afb_models.cli show {path} | head -n 1",
                    f"{sys.executable} -m afb_models.cli run {SHORT} --cycles 3 "
                    "| head -n 1"):
        result = subprocess.run(["bash", "-o", "pipefail", "-c", command],
                                capture_output=True, text=True, timeout=300, cwd=tmp_path)
        assert result.stderr == "", result.stderr
        assert result.returncode == 0
        assert result.stdout.count("\n") == 1


def test_a_run_piped_into_head_still_writes_its_file(tmp_path):
    out = tmp_path / "run.h5"
    command = (f"{sys.executable} -m afb_models.cli run {SHORT} --cycles 3 --out {out} "
               "| head -n 1")
    result = subprocess.run(["bash", "-c", command], capture_output=True, text=True,
                            timeout=300, cwd=tmp_path)
    assert result.stderr == ""
    assert afb_models.load(out).status == "completed"


def test_a_failed_write_with_room_for_the_end_records_its_reason(tmp_path, monkeypatch):
    import errno

    from afb_models import store

    out = tmp_path / "run.h5"
    real_replace = os.replace
    state = {"n": 0}

    def full_once(src, dst):  # the second cycle's version meets a full disk
        state["n"] += 1
        if state["n"] == 3:
            os.unlink(src)
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_replace(src, dst)

    monkeypatch.setattr(store.os, "replace", full_once)
    assert cli.main(list(map(str, run_args(out, 3)))) == 1
    run = afb_models.load(out)
    assert run.cycles.sizes["cycle"] == 1
    assert run.status == f"stopped: {out}: cannot write: No space left on device"


def test_another_thread_is_refused_the_lock_a_thread_holds(tmp_path):
    path = tmp_path / "run.h5"
    refused = []

    def second_writer():
        try:
            WriteLock(path).acquire()
        except RunFileBusy as e:
            refused.append(str(e))

    with WriteLock(path):
        thread = threading.Thread(target=second_writer)
        thread.start()
        thread.join()
    assert len(refused) == 1 and "another run" in refused[0]
    WriteLock(path).acquire().release()  # free once released
