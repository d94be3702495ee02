"""Installs the entente Python package (pure Python: cffi in ABI mode loads the installed
libentente.so at import time, so nothing is compiled here). Offline, with Debian's setuptools:
    pip install ./python --no-build-isolation      or      cd python && python3 setup.py install
Needs python3-cffi, python3-numpy, python3-pandas, python3-networkx (Debian packages)."""
from setuptools import setup

setup(
    name="entente",
    version="0.1.0",
    description="Alliance systems (ATOP/COW data, similarity, balance, blocs, alignment simulation): "
                "Python bindings to libentente",
    license="GPL-3.0-or-later",
    packages=["entente"],
    python_requires=">=3.9",
    install_requires=["cffi", "numpy", "pandas", "networkx"],
)
