"""Everything about the package is in pyproject.toml; this only compiles the gettext catalogues (.po → .mo) into the
built package, so that an installed ess_impact reads compiled catalogues (issue 10). An editable install (`make
install`) compiles them in place with `pybabel compile` instead."""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCatalogues(build_py):
    def run(self):
        super().run()
        if self.editable_mode:
            return
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po in Path("ess_impact", "locale").glob("*/LC_MESSAGES/*.po"):
            target = Path(self.build_lib) / po.with_suffix(".mo")
            target.parent.mkdir(parents=True, exist_ok=True)
            with po.open("rb") as source, target.open("wb") as compiled:
                write_mo(compiled, read_po(source, locale=po.parts[-3]))


setup(cmdclass={"build_py": BuildWithCatalogues})
