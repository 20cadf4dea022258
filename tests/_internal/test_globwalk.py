"""The folders a glob's folder part reaches are glob.glob's, whatever the tree: hidden
folders, symbolic links to folders and a loop of them, literal names that are files,
`**` matching no folder, patterns after `**`."""

import glob
import os
import tempfile

from hypothesis import given, settings, strategies as st

from archivekit._internal.globwalk import folders, subfolders

NAMES = ["a", "b", "2024-01", ".h", "sub"]
PATTERNS = ["**", "*", "**/*", "*/**", "**/2024-*", "**/sub", "**/.*", "**/**", "a/**/b",
            "[ab]/**", "**/?", ".h/**", "*/sub", "**/sub/**"]


def glob_folders(root: str, pattern: str) -> list[str]:
    """What glob reaches: its matches of the folder pattern that are folders."""
    return sorted({found.rstrip(os.sep) for found in
                   glob.glob(os.path.join(root, pattern) + os.sep, recursive=True)})


def reached(root: str, pattern: str, listed=subfolders) -> list[str]:
    return [found for found in folders(os.path.join(root, pattern), listed)
            if os.path.isdir(found)]


def build(root: str, data) -> None:
    """A random tree: folders, files named like folders, a link to a folder (perhaps an
    ancestor: a loop; two loops would have glob walk 2**40 paths) and links to nothing."""
    made, linked = [root], False
    for _ in range(data.draw(st.integers(0, 9))):
        parent = data.draw(st.sampled_from(made))
        path = os.path.join(parent, data.draw(st.sampled_from(NAMES)))
        if os.path.lexists(path):
            continue
        kind = data.draw(st.sampled_from(["folder", "folder", "file", "link", "dangling"]))
        if kind == "folder":
            os.mkdir(path)
            made.append(path)
        elif kind == "file":
            open(path, "w").close()
        elif kind == "link" and not linked:
            os.symlink(data.draw(st.sampled_from(made)), path)
            linked = True
        else:
            os.symlink(os.path.join(root, "nowhere"), path)


@settings(max_examples=150, deadline=None)
@given(st.data(), st.sampled_from(PATTERNS))
def test_the_folders_reached_are_glob_s(data, pattern):
    with tempfile.TemporaryDirectory() as temp:
        root = os.path.join(temp, "inbox")
        os.mkdir(root)
        build(root, data)
        assert reached(root, pattern) == glob_folders(root, pattern)


def test_a_loop_of_links_is_followed_as_far_as_glob_follows_it(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "up").symlink_to(tmp_path)
    found = reached(str(tmp_path), "**")
    assert found == glob_folders(str(tmp_path), "**")
    assert 20 < len(found) < 100        # up to the system's limit on links in a path


def test_each_folder_is_asked_for_its_subfolders_once_per_time_it_is_reached(tmp_path):
    for folder in ("a/b", "c", ".h/d"):
        (tmp_path / folder).mkdir(parents=True)
    asked = []

    def listed(folder):
        asked.append(os.path.relpath(folder, tmp_path))
        return subfolders(folder)
    assert reached(str(tmp_path), "**", listed) == [
        str(tmp_path / folder) for folder in ("", "a", "a/b", "c")]
    assert sorted(asked) == [".", "a", "a/b", "c"]       # the hidden folder not descended


def test_a_tree_deeper_than_python_s_recursion_limit_is_walked(tmp_path):
    deep = str(tmp_path)
    for _ in range(1100):
        deep = os.path.join(deep, "d")
        os.mkdir(deep)
    assert reached(str(tmp_path), "**")[-1] == deep
    while deep != str(tmp_path):        # too deep for shutil.rmtree's recursion
        os.rmdir(deep)
        deep = os.path.dirname(deep)
