"""The finder of selected package files (core.staticfinders): only the listed files are found and collected."""

from pathlib import Path

from xuthanh.core.staticfinders import SelectedFilesFinder


def test_only_the_listed_files_are_found_and_listed(settings, tmp_path: Path):
    (tmp_path / "wanted.js").write_text("export const a = 1;\n")
    (tmp_path / "unwanted.js").write_text("export const b = 2;\n")
    settings.STATICFILES_SELECTED = [("vendor/pkg", tmp_path, ("wanted.js", "missing.js"))]
    finder = SelectedFilesFinder()
    assert finder.find("vendor/pkg/wanted.js") == str(tmp_path / "wanted.js")
    assert finder.find("vendor/pkg/unwanted.js") == ""
    assert finder.find("vendor/other/wanted.js") == ""
    assert finder.find("vendor/pkg/wanted.js", find_all=True) == [str(tmp_path / "wanted.js")]
    listed = [(name, storage.prefix) for name, storage in finder.list([])]
    assert listed == [("wanted.js", "vendor/pkg")]
    warnings = [(w.id, w.msg) for w in finder.check()]
    assert warnings == [("xuthanh.W001", "front-end files missing: vendor/pkg/missing.js")]


def test_a_name_with_a_directory_is_a_configuration_error(settings, tmp_path: Path):
    settings.STATICFILES_SELECTED = [("vendor/pkg", tmp_path, ("../secret.py",))]
    assert [e.id for e in SelectedFilesFinder().check()] == ["xuthanh.E001"]


def test_the_viewer_packages_are_served_when_npm_ran(settings):
    import pytest
    from django.contrib.staticfiles import finders

    if not (Path(settings.BASE_DIR) / "node_modules" / "three").is_dir():
        pytest.skip("npm ci has not run (make frontend)")
    assert finders.find("vendor/three/three.module.min.js")
    assert finders.find("vendor/psv/virtual-tour-plugin/index.module.js")
