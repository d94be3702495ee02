"""entente for Python: the installed libentente.so through cffi (ABI mode), with results as
pandas DataFrames and networkx graphs.

    import entente
    w = entente.World.load()                 # the shipped world (share/entente/data)
    w.states                                 # one row per state
    w.pyramid("CHN", "2024-12-31")           # China's ties, layer by layer
    sim = entente.simulate("baseline", runs=200, world=w)
    sim.series                               # yearly mean and 5/50/95% bands

Errors raised by the library become EntenteError (code, name, and entente's own message).
See docs/python.md.
"""
import json
import glob
import math
import os
import warnings

import networkx as nx
import numpy as np
import pandas as pd

from ._ffi import ffi, lib, lib_path
from . import _ffi

__all__ = ["EntenteError", "version", "lib_path", "World", "Store", "similarity", "similarity_dyads", "dyads", "signed_balance",
           "signed_spec", "partition", "Partition", "SIGNED_USES", "SOLVERS", "simulate", "forecast", "scenario_dir",
           "TIE_KINDS", "SERIES"]

TIE_KINDS = {1: "coercion", 2: "rivalry", 3: "economic", 4: "diplomatic", 5: "partnership", 6: "security",
             7: "pact"}
SERIES = [ffi.string(lib.ent_series_name(i)).decode() for i in range(_ffi.SERIES_N)]
_ALIGN = ["hedge", "pole0", "pole1", "finland0", "finland1", "pole"]


class EntenteError(Exception):
    """An error returned by libentente: .code (the ent_err_t number), .name ("ENT_EPARSE") and
    .message (ent_errmsg(), e.g. "states.csv:12:3: field 'ccode': ...")."""

    def __init__(self, code, message):
        self.code = code
        self.name = ffi.string(lib.ent_strerror(code)).decode()
        self.message = message
        super().__init__(f"{self.name}: {message}")


def _check(rc):
    if rc != 0:
        raise EntenteError(rc, ffi.string(lib.ent_errmsg()).decode("utf-8", "replace"))


def _s(p):
    return ffi.string(p).decode("utf-8", "replace") if p != ffi.NULL else None


def version():
    """The version of the loaded libentente ("0.1.0")."""
    return _s(lib.ent_version())


def scenario_dir():
    """The shipped scenarios' directory ($ENTENTE_SCENARIOS, else share/entente/scenarios)."""
    return _s(lib.ent_scenario_default_dir())


def _date(d, end=True):
    """A date as ent_date_t (yyyymmdd): from "YYYY[-MM[-DD]]", an int year, or a date/Timestamp."""
    if isinstance(d, (int, np.integer)) and d < 10000:
        d = str(int(d))
    if hasattr(d, "strftime"):
        d = d.strftime("%Y-%m-%d")
    out = ffi.new("ent_date_t *")
    _check(lib.ent_date_parse(out, str(d).encode(), end))
    return out[0]


def _fmt_date(d):
    if d == _ffi.DATE_MAX or d == 0:
        return None
    buf = ffi.new("char[16]")
    lib.ent_date_format(buf, d)
    return _s(buf)


def _obligations(bits):
    buf = ffi.new("char[128]")
    lib.ent_obligations_format(buf, 128, bits)
    return _s(buf)


class Store:
    """An entente store (SQLite, written by `entente import`). Use as a context manager."""

    def __init__(self, path, readonly=True):
        self.path = str(path)
        opts = _ffi.options("ent_store_options_t", readonly=readonly)
        out = ffi.new("ent_store_t **")
        _check(lib.ent_store_open(out, self.path.encode(), opts))
        self._st = out[0]

    def close(self):
        if getattr(self, "_st", None):
            lib.ent_store_close(self._st)
            self._st = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close()


class World:
    """An alliance system: states, ties, organisations. World.load() reads the shipped world
    (or a directory of the same CSV files); World.from_store() the historical one of a store."""

    def __init__(self, handle, origin):
        self._w = handle
        self.origin = origin

    @classmethod
    def load(cls, directory=None):
        """Reads the world's CSV files from `directory` (default: the shipped world, found as
        ent_world_default_dir() does). Every row is validated; errors name file:line:column."""
        d = str(directory) if directory is not None else _s(lib.ent_world_default_dir())
        out = ffi.new("ent_world_t **")
        _check(lib.ent_world_load_dir(out, d.encode()))
        return cls(out[0], d)

    @classmethod
    def from_store(cls, store, pact_dataset="atop"):
        """The world held in a store (COW states, NMC, pacts): a Store or a path."""
        own = not isinstance(store, Store)
        st = Store(store) if own else store
        try:
            keep = ffi.new("char[]", pact_dataset.encode()) if pact_dataset else ffi.NULL
            opts = _ffi.options("ent_world_load_options_t", pact_dataset=keep)
            out = ffi.new("ent_world_t **")
            _check(lib.ent_world_load(out, st._st, opts))
            return cls(out[0], st.path)
        finally:
            if own:
                st.close()

    @classmethod
    def build(cls, states, spells=None, capabilities=None, pacts=None, ties=None):
        """A world built in memory, without files (the C builder ent_world_new ... ent_world_finalise).

        states:       DataFrame with ccode and abbr; optional iso3, name, region, capital, lat, lon,
                      un_member
        spells:       ccode, start, end (end None/NaN: open); a state without spells is always a member
        capabilities: ccode, year, cinc
        pacts:        one row per member: pact (an id), ccode, entry, exit (None/NaN: still in), the
                      obligations as 0/1 columns defense, offense, neutral, nonagg, consul, and
                      optional dormant; optional moniker and source (the pact's first row counts).
                      Each pact becomes the dyads of its members, as the store's pacts do.
        ties:         a, b (codes), kind ("rivalry", "partnership"... see TIE_KINDS), start, end;
                      optional level, moniker, subtype, source, directed, obligations, dormant
        Dates: "YYYY[-MM[-DD]]", a year or a Timestamp. Errors (an unknown code, a reversed date, a
        code twice) raise EntenteError with entente's message."""
        out = ffi.new("ent_world_t **")
        _check(lib.ent_world_new(out))
        w = cls(out[0], "memory")
        keep = []  # C strings alive until each add has copied them

        def cstr(v):
            if v is None or (isinstance(v, float) and math.isnan(v)):
                return ffi.NULL
            b = ffi.new("char[]", str(v).encode())
            keep.append(b)
            return b

        def missing(v):
            return v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT

        def index(code):
            i = lib.ent_world_state_index(w._w, int(code))
            if i < 0:
                raise EntenteError(3, f"unknown state code {code} (not in the states given)")  # ENT_ENOTFOUND
            return i

        def get(row, key, default=None):
            v = row.get(key, default)
            return default if missing(v) else v

        for row in states.to_dict("records"):
            s = ffi.new("ent_state_t *")
            lib.ent_state_init(s)
            s.ccode = int(row["ccode"])
            s.abbr = str(row["abbr"]).encode()[:7]
            s.iso3 = str(get(row, "iso3", "")).encode()[:3]
            s.name, s.region, s.capital = (cstr(get(row, k)) for k in ("name", "region", "capital"))
            s.cap_lat, s.cap_lon = float(get(row, "lat", math.nan)), float(get(row, "lon", math.nan))
            s.un_member = bool(get(row, "un_member", False))
            _check(lib.ent_world_add_state(ffi.NULL, w._w, s))
        for row in ([] if spells is None else spells.to_dict("records")):
            end = _ffi.DATE_MAX if missing(row.get("end")) else _date(row["end"], True)
            _check(lib.ent_world_add_spell(w._w, index(row["ccode"]), _date(row["start"], False), end))
        for row in ([] if capabilities is None else capabilities.to_dict("records")):
            _check(lib.ent_world_set_cinc(w._w, index(row["ccode"]), int(row["year"]), float(row["cinc"])))
        if pacts is not None and len(pacts):
            for _, grp in pacts.groupby("pact", sort=False):
                rows = grp.to_dict("records")
                mem = ffi.new("ent_pact_member_t[]", len(rows))
                for k, row in enumerate(rows):
                    mem[k].state = index(row["ccode"])
                    mem[k].entry = _date(row["entry"], False)
                    mem[k].exit = _ffi.DATE_MAX if missing(row.get("exit")) else _date(row["exit"], True)
                    mem[k].obligations = sum(bit for bit, name in ((1, "defense"), (2, "offense"), (4, "neutral"),
                                                                   (8, "nonagg"), (16, "consul"))
                                             if get(row, name, 0))
                    mem[k].dormant = bool(get(row, "dormant", False))
                _check(lib.ent_world_add_pact(w._w, mem, len(rows), cstr(get(rows[0], "moniker")),
                                              cstr(get(rows[0], "source"))))
        kinds = {v: k for k, v in TIE_KINDS.items()}
        for row in ([] if ties is None else ties.to_dict("records")):
            t = ffi.new("ent_tie_t *")
            t.a, t.b = index(row["a"]), index(row["b"])
            if row["kind"] not in kinds:
                raise EntenteError(2, f"unknown tie kind '{row['kind']}' (expected one of {', '.join(kinds)})")
            t.kind = kinds[row["kind"]]
            t.start = 0 if missing(row.get("start")) else _date(row["start"], False)
            t.end = _ffi.DATE_MAX if missing(row.get("end")) else _date(row["end"], True)
            t.level = float(get(row, "level", 0.0))
            obl = get(row, "obligations", 0)
            if isinstance(obl, str):  # as World.ties shows them: "defense,consul", "none" or ""
                names = {"defense": 1, "offense": 2, "neutral": 4, "nonagg": 8, "consul": 16, "entente": 32}
                obl = sum(names.get(x.strip(), 0) for x in obl.split(","))
            t.obligations = int(obl)
            t.moniker, t.subtype, t.source = (cstr(get(row, k)) for k in ("moniker", "subtype", "source"))
            t.directed, t.dormant = bool(get(row, "directed", False)), bool(get(row, "dormant", False))
            _check(lib.ent_world_add_tie(w._w, t))
        _check(lib.ent_world_finalise(w._w))
        return w

    def close(self):
        if getattr(self, "_w", None):
            lib.ent_world_free(self._w)
            self._w = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close()

    def __len__(self):
        return lib.ent_world_nstates(self._w)

    def find(self, code):
        """The index of a state by COW number, COW abbreviation or ISO3 (EntenteError otherwise)."""
        idx = ffi.new("int64_t *")
        _check(lib.ent_world_find(idx, self._w, str(code).encode()))
        return idx[0]

    def _abbr(self, i):
        return ffi.string(lib.ent_world_state(self._w, i).abbr).decode()

    @property
    def states(self):
        """One row per state: ccode, abbr, iso3, name, region, capital, lat, lon, un_member,
        democracy and the base-year economic figures (NaN when unknown)."""
        rows = []
        for i in range(len(self)):
            s = lib.ent_world_state(self._w, i)
            rows.append({
                "ccode": s.ccode, "abbr": ffi.string(s.abbr).decode(), "iso3": ffi.string(s.iso3).decode(),
                "name": _s(s.name), "region": _s(s.region), "capital": _s(s.capital), "lat": s.cap_lat,
                "lon": s.cap_lon, "un_member": bool(s.un_member), "democracy": s.democracy,
                "gdp_usd_bn": s.gdp_usd_bn, "milex_usd_m": s.milex_usd_m, "trade_share_chn": s.trade_share_chn,
                "trade_share_usa": s.trade_share_usa, "econ_year": s.econ_year,
                "chn_finance_usd_bn": s.chn_finance_usd_bn, "econ_estimate": bool(s.econ_estimate),
                "unga_year": s.unga_year, "unga_votes": s.unga_votes, "unga_ideal": s.unga_ideal,
                "unga_agree_usa": s.unga_agree_usa, "unga_agree_chn": s.unga_agree_chn})
        return pd.DataFrame(rows)

    def _tie_row(self, t):
        return {"a": self._abbr(t.a), "b": self._abbr(t.b), "kind": TIE_KINDS.get(t.kind, str(t.kind)),
                "obligations": _obligations(t.obligations) if t.kind == 7 else "", "level": t.level,
                "moniker": _s(t.moniker), "subtype": _s(t.subtype), "directed": bool(t.directed),
                "start": _fmt_date(t.start), "end": _fmt_date(t.end), "source": _s(t.source),
                "dormant": bool(t.dormant)}

    @property
    def ties(self):
        """Every tie (pacts as dyads, partnerships, security, economic, coercion, rivalries) with
        its dates (end None when open) and source."""
        return pd.DataFrame([self._tie_row(lib.ent_world_tie(self._w, k)) for k in range(lib.ent_world_nties(self._w))])

    @property
    def orgs(self):
        rows = []
        for k in range(lib.ent_world_norgs(self._w)):
            o = lib.ent_world_org(self._w, k)
            rows.append({"id": _s(o.id), "name": _s(o.name), "kind": _s(o.kind), "founded": _fmt_date(o.founded),
                         "source": _s(o.source)})
        return pd.DataFrame(rows)

    @property
    def memberships(self):
        rows = []
        for k in range(lib.ent_world_nmemberships(self._w)):
            m = lib.ent_world_membership(self._w, k)
            rows.append({"org": _s(lib.ent_world_org(self._w, m.org).id), "state": self._abbr(m.state),
                         "role": _s(m.role), "joined": _fmt_date(m.joined), "left": _fmt_date(m.left),
                         "source": _s(m.source)})
        return pd.DataFrame(rows)

    def graph(self, date="2024-12-31"):
        """The world on a date as a networkx MultiGraph: the states alive (attributes abbr, name,
        ccode, cinc) and one edge per tie in force (attributes kind, obligations, level, moniker)."""
        d = _date(date)
        year = d // 10000
        g = nx.MultiGraph(date=_fmt_date(d), origin=self.origin)
        for i in range(len(self)):
            if lib.ent_world_alive(self._w, i, d):
                s = lib.ent_world_state(self._w, i)
                g.add_node(self._abbr(i), ccode=s.ccode, name=_s(s.name),
                           cinc=lib.ent_world_cinc_near(self._w, i, year, 10, 0))
        for k in range(lib.ent_world_nties(self._w)):
            t = lib.ent_world_tie(self._w, k)
            if t.start <= d <= t.end:
                a, b = self._abbr(t.a), self._abbr(t.b)
                if a in g and b in g:
                    row = self._tie_row(t)
                    g.add_edge(a, b, key=k, kind=row["kind"], obligations=row["obligations"], level=t.level,
                               moniker=row["moniker"])
        return g

    def signed_network(self, date="2024-12-31", defense=1.0, pact=0.5, partnership=0.5, security=0.3, rivalry=1.0,
                       coercion=0.5, isolates=False, nonaggression=0.5):
        """The signed network of `entente blocs` on a date (ent_blocs_network): a networkx Graph whose
        edges carry `weight` (friendly > 0, hostile < 0) and `sign`."""
        g_c = ffi.new("ent_signed_t *")
        states = ffi.new("ent_vec_t *")
        lib.ent_signed_init(g_c)
        lib.ent_vec_init(states, 8)
        try:
            opts = _ffi.options("ent_blocs_network_options_t", defense=defense, pact=pact, partnership=partnership,
                                security=security, rivalry=rivalry, coercion=coercion, isolates=isolates,
                                nonaggression=nonaggression)
            _check(lib.ent_blocs_network(g_c, states, self._w, _date(date), opts))
            idx = ffi.cast("int64_t *", states.data)
            g = _signed_to_nx(g_c[0])
            g.graph.update(date=_fmt_date(_date(date)), origin=self.origin)
            for k in range(g_c.n):
                g.nodes[_s(g_c.label[k])]["ccode"] = lib.ent_world_state(self._w, idx[k]).ccode
            tb = ffi.new("ent_triangle_balance_t *")
            _check(lib.ent_signed_triangles(tb, g_c))
            g.graph.update(triangles=tb.triangles, balanced_triangles=tb.balanced)
            return g
        finally:
            lib.ent_vec_destroy(states)
            lib.ent_signed_destroy(g_c)

    def _dyads(self, date):
        d = ffi.new("ent_dyads_t *")
        lib.ent_dyads_init(d)
        rc = lib.ent_dyads_build(d, self._w, _date(date))
        if rc != 0:
            msg = ffi.string(lib.ent_errmsg()).decode("utf-8", "replace")
            lib.ent_dyads_destroy(d)
            raise EntenteError(rc, msg)
        return d

    def dyads(self, date="2024-12-31", spec=None):
        """The dyad layer on a date (ent_dyads_build): one row per pair of states alive on the date
        joined by a tie in force, ordered by world index. Columns: state1, state2 (abbreviations),
        ccode1, ccode2; the pacts' `obligations` ("defense,consul"; the five as booleans defense,
        offense, neutral, nonagg, consul) over the pacts in force that are not dormant, and
        `dormant_obligations`, `pacts`, `dormant_pacts`, `nonagg_parties`; `tier` (the highest
        partnership tier, 0 none), `tier_label`, `tier_pole` (whose ladder), `partnerships`; security:
        `exercise`, `arms`, `basing`, `security_other` (highest intensity by kind), `security` (ties),
        `arms_ab`, `arms_ba`, `basing_ab`, `basing_ba` (by direction, 1 toward 2 and back); hostility:
        `rivalry` (highest intensity), `rivalries`, `coercion_ab`, `coercion_ba` (episodes by 1 against
        2 and back); `economic`, `diplomatic` (ties). With `spec` (a use, "blocs", "balance",
        "landscape", or a dict from signed_spec()) also each term under it, `term_pact`,
        `term_partnership`, `term_security`, `term_rivalry`, `term_coercion`, and the signed `weight`
        (0: no edge), as ent_dyad_terms computes them."""
        d = self._dyads(date)
        try:
            n = d.dyads.len
            rows = ffi.cast("ent_dyad_t *", d.dyads.data)
            cs = _spec_c(spec) if spec is not None else None
            terms = ffi.new("ent_dyad_terms_t *")
            out = []
            for k in range(n):
                x = rows[k]
                s1, s2 = lib.ent_world_state(self._w, x.a), lib.ent_world_state(self._w, x.b)
                r = {"state1": ffi.string(s1.abbr).decode(), "state2": ffi.string(s2.abbr).decode(),
                     "ccode1": s1.ccode, "ccode2": s2.ccode,
                     "obligations": _obligations(x.obligations) if x.obligations else ""}
                for bit, name in _OBLIGATIONS:
                    r[name] = bool(x.obligations & bit)
                r.update({"dormant_obligations": _obligations(x.dormant_obligations) if x.dormant_obligations else "",
                          "pacts": x.pacts, "dormant_pacts": x.dormant_pacts, "nonagg_parties": x.nonagg_parties,
                          "tier": x.tier,
                          "tier_label": _s(lib.ent_world_tier_label(self._w, int(x.tier))) if x.tier > 0 else "",
                          "tier_pole": self._abbr(x.tier_pole) if x.tier_pole >= 0 else None,
                          "partnerships": x.partnerships})
                for f in _DYAD_FIELDS:
                    r[f] = getattr(x, f)
                if cs is not None:
                    lib.ent_dyad_terms(terms, ffi.addressof(rows[k]), d.max_tier, cs)
                    for t in ("pact", "partnership", "security", "rivalry", "coercion"):
                        r["term_" + t] = getattr(terms, t)
                    r["weight"] = terms.weight
                out.append(r)
            cols = (["state1", "state2", "ccode1", "ccode2", "obligations"] + [nm for _, nm in _OBLIGATIONS]
                    + ["dormant_obligations", "pacts", "dormant_pacts", "nonagg_parties", "tier", "tier_label",
                       "tier_pole", "partnerships"] + list(_DYAD_FIELDS))
            if cs is not None:
                cols += ["term_pact", "term_partnership", "term_security", "term_rivalry", "term_coercion", "weight"]
            return pd.DataFrame(out, columns=cols)
        finally:
            lib.ent_dyads_destroy(d)

    def signed_graph(self, date="2024-12-31", spec="blocs"):
        """The world's signed graph on a date for one use (ent_signed_from_dyads): `spec` a use name
        ("blocs", "balance", "landscape") or a dict from signed_spec(). A networkx Graph with one node
        per state that has an edge (every state alive with isolates=True in the spec), in world order,
        attribute `ccode`; one edge per dyad of non-zero weight with `weight`, `sign`, `index` and the
        terms (`pact`, `partnership`, `security`, `rivalry`, `coercion`). partition() takes it. With
        "blocs" it is the network of `entente blocs` and `entente balance --world`."""
        cs = _spec_c(spec)
        d = self._dyads(date)
        gc = ffi.new("ent_signed_t *")
        states = ffi.new("ent_vec_t *")
        lib.ent_signed_init(gc)
        lib.ent_vec_init(states, 8)
        try:
            _check(lib.ent_signed_from_dyads(gc, states, d, self._w, cs))
            g = _signed_to_nx(gc[0])
            idx = ffi.cast("int64_t *", states.data)
            node_of = {}
            for k in range(gc.n):
                wi = idx[k]
                node_of[wi] = _s(gc.label[k])
                g.nodes[node_of[wi]]["ccode"] = lib.ent_world_state(self._w, wi).ccode
            rows = ffi.cast("ent_dyad_t *", d.dyads.data)
            terms = ffi.new("ent_dyad_terms_t *")
            for k in range(d.dyads.len):
                x = rows[k]
                a, b = node_of.get(x.a), node_of.get(x.b)
                if a is not None and b is not None and g.has_edge(a, b):
                    lib.ent_dyad_terms(terms, ffi.addressof(rows[k]), d.max_tier, cs)
                    g[a][b].update({t: getattr(terms, t) for t in ("pact", "partnership", "security", "rivalry",
                                                                   "coercion")})
            g.graph.update(date=_fmt_date(_date(date)), origin=self.origin,
                           spec=spec if isinstance(spec, str) else "custom")
            return g
        finally:
            lib.ent_vec_destroy(states)
            lib.ent_signed_destroy(gc)
            lib.ent_dyads_destroy(d)

    def pact_blocs(self, date="2024-12-31"):
        """Pact blocs on a date: a Series abbr -> bloc (0 = largest; states without a defence pact left out)."""
        n = len(self)
        bloc = ffi.new("int64_t[]", max(n, 1))
        nb = ffi.new("size_t *")
        _check(lib.ent_system_pact_blocs(bloc, nb, self._w, _date(date)))
        return pd.Series({self._abbr(i): bloc[i] for i in range(n) if bloc[i] >= 0}, name="bloc", dtype="int64")

    def _report(self, call):
        out = ffi.new("char **")
        _check(call(out))
        try:
            return json.loads(ffi.string(out[0]).decode("utf-8"))
        finally:
            lib.ent_free(out[0])

    def report(self, date="2024-12-31", origin=None):
        """The alliance system on a date as a dict: the report `entente world --json` prints
        (schema entente.world/1, docs/report.md), without the CLI's provenance record."""
        o = ffi.new("char[]", origin.encode()) if origin is not None else ffi.NULL
        return self._report(lambda out: lib.ent_report_world(out, self._w, _date(date), o))

    def state_report(self, state, date="2024-12-31"):
        """A state's pyramid on a date as a dict: the report `entente world --state CODE --json`
        prints (schema entente.state/1, docs/report.md)."""
        i = self.find(state)
        return self._report(lambda out: lib.ent_report_state(out, self._w, i, _date(date)))

    def pyramid(self, state, date="2024-12-31"):
        """A state's ties on a date, layer by layer as the essay reads them (allies, other pacts,
        partnerships by tier, memberships, security, coercion sent/received, rivalries): one row
        per tie with the partner, its tier label for partnerships, dates and source."""
        i = self.find(state)
        p = ffi.new("ent_pyramid_t *")
        lib.ent_pyramid_init(p)
        try:
            _check(lib.ent_pyramid_build(p, self._w, i, _date(date)))
            rows = []
            for layer in ("allies", "other_pacts", "partnerships", "security", "coercion_sent",
                          "coercion_received", "rivalries"):
                v = getattr(p, layer)
                ks = ffi.cast("size_t *", v.data)
                for j in range(v.len):
                    t = lib.ent_world_tie(self._w, ks[j])
                    r = self._tie_row(t)
                    partner = r["b"] if t.a == i else r["a"]
                    tier = _s(lib.ent_world_tier_label(self._w, int(t.level))) if t.kind == 5 else ""
                    rows.append({"layer": layer, "partner": partner, "kind": r["kind"], "level": t.level,
                                 "tier": tier, "obligations": r["obligations"], "moniker": r["moniker"],
                                 "subtype": r["subtype"], "start": r["start"], "end": r["end"], "source": r["source"]})
            v = p.memberships
            ks = ffi.cast("size_t *", v.data)
            for j in range(v.len):
                m = lib.ent_world_membership(self._w, ks[j])
                o = lib.ent_world_org(self._w, m.org)
                rows.append({"layer": "memberships", "partner": _s(o.id), "kind": _s(o.kind), "level": 0.0,
                             "tier": "", "obligations": "", "moniker": _s(o.name), "subtype": _s(m.role),
                             "start": _fmt_date(m.joined), "end": _fmt_date(m.left), "source": _s(m.source)})
            return pd.DataFrame(rows, columns=["layer", "partner", "kind", "level", "tier", "obligations", "moniker",
                                               "subtype", "start", "end", "source"])
        finally:
            lib.ent_pyramid_destroy(p)


def _signed_to_nx(gc):
    """A networkx Graph of a C signed graph: nodes and edges in the library's order, each edge with
    `weight`, `sign` and `index` (its position in the library's edge list, which partition() uses to
    hand the edges back in the same order, so its results equal the CLI's)."""
    g = nx.Graph()
    for k in range(gc.n):
        g.add_node(_s(gc.label[k]))
    for e in range(gc.m):
        w = gc.ew[e]
        g.add_edge(_s(gc.label[gc.eu[e]]), _s(gc.label[gc.ev[e]]), weight=w, sign=1 if w > 0 else -1, index=e)
    return g


def signed_balance(path, year=0):
    """Structural balance of the signed networks of a CSV edge list (as `entente balance FILE`
    reads it): a DataFrame per network (nodes, edges, positive, negative, triangles, balanced
    triangles, their fraction and the weighted fraction) and a dict name -> networkx Graph."""
    opts = _ffi.options("ent_signed_read_options_t", year=year)
    out = ffi.new("ent_signed_set_t **")
    _check(lib.ent_signed_read(out, str(path).encode(), opts))
    rows, graphs = [], {}
    try:
        for i in range(lib.ent_signed_set_count(out[0])):
            gc = lib.ent_signed_set_graph(out[0], i)
            name = _s(lib.ent_signed_set_name(out[0], i))
            tb = ffi.new("ent_triangle_balance_t *")
            _check(lib.ent_signed_triangles(tb, gc))
            pos = sum(1 for e in range(gc.m) if gc.ew[e] > 0)
            rows.append({"network": name, "nodes": gc.n, "edges": gc.m, "positive": pos, "negative": gc.m - pos,
                         "triangles": tb.triangles, "balanced_triangles": tb.balanced,
                         "balanced_fraction": tb.fraction, "balanced_weighted": tb.weighted})
            graphs[name] = _signed_to_nx(gc)
    finally:
        lib.ent_signed_set_free(out[0])
    return pd.DataFrame(rows), graphs


_OBLIGATIONS = ((1, "defense"), (2, "offense"), (4, "neutral"), (8, "nonagg"), (16, "consul"))
_DYAD_FIELDS = ("exercise", "arms", "basing", "security_other", "security", "arms_ab", "arms_ba", "basing_ab",
                "basing_ba", "rivalry", "rivalries", "coercion_ab", "coercion_ba", "economic", "diplomatic")

# The named weight specs of the shipped uses (include/entente/dyads.h, docs/measures.md).
SIGNED_USES = ("blocs", "balance", "landscape")
_COMBINE = {0: "net", 1: "sum", 2: "hostile_wins"}
_SPEC_FIELDS = ("defense", "offense", "neutrality", "nonaggression", "consultation", "pact_other",
                "nonaggression_per_party", "dormant", "partnership", "min_tier", "tier_scaled", "security",
                "security_level", "rivalry", "coercion", "combine", "isolates")


def _named_spec(use, min_tier=None):
    if use == "blocs":
        return lib.ent_signed_spec_blocs()
    if use == "balance":
        # partnerships count from a tier up: by default 5, as `entente balance-dynamics --world`
        return lib.ent_signed_spec_balance(int(min_tier) if min_tier is not None else 5)
    if use == "landscape":
        return lib.ent_signed_spec_landscape()
    raise EntenteError(2, f"unknown use '{use}' (expected one of {', '.join(SIGNED_USES)})")  # ENT_EINVAL


def signed_spec(use="blocs", min_tier=None, **fields):
    """The weight spec of one use of the signed network (ent_signed_spec_blocs, _balance, _landscape)
    as a dict, with `fields` changed: what each relation counts for (defense, offense, neutrality,
    nonaggression, consultation, pact_other, nonaggression_per_party, dormant, partnership, min_tier,
    tier_scaled, security, security_level, rivalry, coercion), how terms combine ("net", "sum",
    "hostile_wins") and whether isolates are nodes. `min_tier` is the balance spec's argument
    (default 5, as `entente balance-dynamics --world`). The
    dict goes to World.dyads(spec=...) and World.signed_graph(spec=...), which check it
    (ent_signed_spec_check: EntenteError naming the field)."""
    c = _named_spec(use, min_tier)
    out = {f: getattr(c, f) for f in _SPEC_FIELDS}
    out["combine"] = _COMBINE.get(out["combine"], out["combine"])
    for k in ("nonaggression_per_party", "tier_scaled", "isolates"):
        out[k] = bool(out[k])
    for k, v in fields.items():
        if k not in out:
            raise EntenteError(2, f"signed_spec: unknown field '{k}' (fields: {', '.join(_SPEC_FIELDS)})")
        out[k] = v
    return out


def _spec_c(spec):
    """A checked ent_signed_spec_t * from a use name or a dict of signed_spec()."""
    if isinstance(spec, str):
        c = ffi.new("ent_signed_spec_t *", _named_spec(spec))
    else:
        c = ffi.new("ent_signed_spec_t *")
        c.version = _ffi.SIGNED_SPEC_VERSION
        combine = {v: k for k, v in _COMBINE.items()}
        for f in _SPEC_FIELDS:
            if f not in spec:
                raise EntenteError(2, f"signed spec: field '{f}' missing (start from signed_spec())")
            v = spec[f]
            if f == "combine":
                if v not in combine and v not in _COMBINE:
                    raise EntenteError(2, f"signed spec: combine '{v}' (expected net, sum or hostile_wins)")
                v = combine.get(v, v)
            setattr(c, f, v)
    _check(lib.ent_signed_spec_check(c))
    return c


SOLVERS = ("auto", "exhaustive", "exact", "heuristic")


class Partition:
    """A two-camp split of a signed graph by ent_partition_solve.

    membership   Series node -> camp (0 or 1; the first node's camp is 0)
    frustration  the total weight of the edges the split leaves frustrated (the frustration index
                 when `optimal`)
    bound, gap   a proven lower bound on the optimum (-inf when none) and the relative gap
    optimal      the bound proves the value
    solver       the solver that ran: "exhaustive", "exact" or "heuristic" (never "auto")
    method       the library's finer name ("branch-and-cut", "decomposition", ...)
    seconds, pieces, largest    wall-clock time; biconnected pieces solved apart and the largest
    configs, nminima, minima, basins    exhaustive enumeration only (else 0 / None): configurations,
                 local minima counted, a DataFrame of the minima kept (value, basin, and one column
                 per node with its camp), whether basins were computed"""

    def __repr__(self):
        return (f"<entente.Partition {len(self.membership)} nodes: frustration {self.frustration:g}"
                f"{' (optimal)' if self.optimal else ''}, {self.solver}>")

    def camps(self):
        """The two camps as lists of nodes: [camp 0, camp 1]."""
        return [list(self.membership.index[self.membership == b]) for b in (0, 1)]


def _graph_to_c(graph, weight):
    """An ent_signed_t (initialised, caller destroys) from a networkx graph or an edge DataFrame."""
    gc = ffi.new("ent_signed_t *")
    lib.ent_signed_init(gc)
    try:
        if isinstance(graph, pd.DataFrame):
            nodes = list(dict.fromkeys(list(graph["from"]) + list(graph["to"])))
            edges = [(u, v, w) for u, v, w in zip(graph["from"], graph["to"], graph[weight])]
        else:
            if graph.is_directed() or graph.is_multigraph():
                raise ValueError("partition: an undirected simple graph (networkx Graph) is needed")
            nodes = list(graph.nodes)
            es = list(graph.edges(data=True))
            if es and all("index" in d for _, _, d in es):
                es.sort(key=lambda e: e[2]["index"])  # the library's order, as the graph came from it
            edges = []
            for u, v, d in es:
                if weight not in d and "sign" not in d:
                    raise ValueError(f"partition: edge {u}-{v} has no '{weight}' (or 'sign') attribute")
                edges.append((u, v, d.get(weight, d.get("sign"))))
        ids = {}
        keep = []
        for u in nodes:
            label = ffi.new("char[]", str(u).encode())
            keep.append(label)
            idp = ffi.new("int32_t *")
            added = ffi.new("bool *")
            _check(lib.ent_signed_node(gc, label, idp, added))
            if not added[0]:
                raise ValueError(f"partition: two nodes have the label '{u}'")
            ids[u] = idp[0]
        for u, v, w in edges:
            _check(lib.ent_signed_edge(gc, ids[u], ids[v], float(w), ffi.NULL))
        return gc, nodes
    except BaseException:
        lib.ent_signed_destroy(gc)
        raise


def partition(graph, method="auto", time_limit=60.0, seed=1, minima=False, basins=True, max_minima=1 << 20,
              exhaustive_max=24, threads=0, weight="weight", restarts=None, anneal_runs=None, anneal_sweeps=None):
    """Splits a signed graph into two camps minimising the frustrated weight, through the library's one
    entry point ent_partition_solve (the policy `entente balance` uses).

    graph    a networkx Graph whose edges carry `weight` (else `sign`; friendly > 0, hostile < 0),
             e.g. from World.signed_graph() or signed_balance(), or a DataFrame with from, to and the
             weight column; nodes are passed in the graph's order, edges in the library's order when
             every edge has an `index` (graphs made by entente), so results equal the CLI's
    method   "auto" (exhaustive when minima are asked and n <= exhaustive_max, else the exact solver
             within time_limit, which falls back to the heuristic's split with a bound), "exhaustive"
             (n <= 40), "exact" or "heuristic"
    minima, basins, max_minima, threads   the exhaustive enumeration's local minima and basins
    restarts, anneal_runs, anneal_sweeps  the heuristic's effort (None: the library's defaults)
    Returns a Partition. Errors (a bad method, exhaustive beyond 40 nodes, a zero weight, a
    self-loop) raise EntenteError with entente's message."""
    m = ffi.new("int *")
    _check(lib.ent_solve_method_parse(m, str(method).encode()))
    gc, nodes = _graph_to_c(graph, weight)
    res = ffi.new("ent_solve_result_t *")
    lib.ent_solve_result_init(res)
    try:
        o = _ffi.options("ent_solve_options_t", method=m[0], time_limit=float(time_limit), seed=int(seed),
                         exhaustive_max=int(exhaustive_max), minima=bool(minima), basins=bool(basins),
                         max_minima=int(max_minima), threads=int(threads))
        h = None
        if restarts is not None or anneal_runs is not None or anneal_sweeps is not None:
            h = _ffi.options("ent_heuristic_options_t")
            for k, v in (("restarts", restarts), ("anneal_runs", anneal_runs), ("anneal_sweeps", anneal_sweeps)):
                if v is not None:
                    setattr(h, k, int(v))
            o.heuristic = h
        _check(lib.ent_partition_solve(res, gc, o))
        b = res.best
        blocks = ffi.cast("int32_t *", b.block.data)
        p = Partition()
        p.membership = pd.Series([blocks[i] for i in range(gc.n)], index=pd.Index(nodes, name="node"),
                                 name="camp", dtype="int64")
        p.frustration, p.bound, p.gap, p.optimal = b.value, b.bound, b.gap, bool(b.optimal)
        p.solver = _s(lib.ent_solve_method_name(res.used))
        p.method = ffi.string(b.method).decode()
        p.seconds, p.pieces, p.largest = b.seconds, b.components, b.largest
        p.configs, p.nminima, p.basins, p.minima = 0, 0, False, None
        if res.enumerated:
            p.configs, p.nminima, p.basins = res.configs, res.nminima, bool(res.basins)
            lm = ffi.cast("ent_local_min_t *", res.minima.data)
            rows = []
            for k in range(res.minima.len):
                c = lm[k].config
                r = {"value": lm[k].value, "basin": lm[k].basin}
                # canonical configuration: node 0 in camp 0, node i >= 1 in camp bit (i - 1)
                r.update({nodes[i]: (0 if i == 0 else (c >> (i - 1)) & 1) for i in range(gc.n)})
                rows.append(r)
            p.minima = pd.DataFrame(rows, columns=["value", "basin"] + list(nodes))
        return p
    finally:
        lib.ent_solve_result_destroy(res)
        lib.ent_signed_destroy(gc)


_MEASURES = ["s", "sw", "kappa", "pi", "taub"]


def _sim_opts(squared, dmax, lo=0, hi=3):
    return _ffi.options("ent_similarity_options_t", squared=squared, dmax=dmax, lo=lo, hi=hi)


def similarity(x, y, w=None, squared=False, dmax=0.0, lo=0, hi=3):
    """The five similarity measures of two ordinal portfolios x, y (codes lo..hi, e.g. 0..3 for
    alliances), with optional item weights w (capability shares, for weighted S): a Series
    s, sw, kappa, pi, taub (NaN where undefined). Signorino & Ritter (1999) define S."""
    x = np.ascontiguousarray(x, dtype=np.intc)
    y = np.ascontiguousarray(y, dtype=np.intc)
    if x.shape != y.shape or x.ndim != 1:
        raise ValueError("x and y must be 1-d and of equal length")
    wp = ffi.NULL
    if w is not None:
        w = np.ascontiguousarray(w, dtype=np.double)
        if w.shape != x.shape:
            raise ValueError("w must have the length of x")
        wp = ffi.from_buffer("double[]", w)
    out = ffi.new("ent_similarity_t *")
    _check(lib.ent_measure_similarity(out, ffi.from_buffer("int[]", x), ffi.from_buffer("int[]", y), wp, len(x),
                                      _sim_opts(squared, dmax, lo, hi)))
    return pd.Series({m: getattr(out, m) for m in _MEASURES})


def similarity_dyads(store, years, source="atop", directed=False, squared=False, cinc_back=10):
    """Alliance-portfolio (or UN vote) similarity of every dyad of the COW system: for each year in
    `years` (an int or an iterable) its obligations under `source` ("atop", "cow", "un"), the two
    CINC scores and the five similarity measures (S, weighted S, kappa, pi, tau-b).

    `store` may also be a World (loaded, from a store or built): its pacts, ATOP-coded, over the
    states alive in each year, with CINC of the year or up to `cinc_back` years before (the shipped
    world holds one base year; 0 for a world from a store gives the store's own weights)."""
    years = [int(years)] if isinstance(years, (int, np.integer)) else sorted(int(y) for y in years)
    world = isinstance(store, World)
    own = not world and not isinstance(store, Store)
    st = Store(store) if own else store
    src = ffi.new("int *")
    _check(lib.ent_sim_source_parse(src, source.encode()))
    if world and source != "atop":
        raise EntenteError(2, f"a world's pacts are ATOP-coded: source '{source}' needs a store")
    pf = ffi.new("ent_portfolios_t **")
    vec = ffi.new("ent_vec_t *")
    lib.ent_vec_init(vec, ffi.sizeof("ent_dyad_year_t"))
    try:
        if world:
            _check(lib.ent_portfolios_from_world(pf, store._w, years[0], years[-1], int(cinc_back)))
        else:
            _check(lib.ent_portfolios_load(pf, st._st, src[0], years[0], years[-1]))
        for y in years:
            _check(lib.ent_measure_similarity_year(vec, pf[0], y, directed, _sim_opts(squared, 0.0)))
        n = vec.len
        rows = ffi.cast("ent_dyad_year_t *", vec.data)
        cols = {k: np.empty(n, dtype=t) for k, t in (("ccode1", np.int32), ("ccode2", np.int32),
                                                     ("year", np.int32), ("obligations", np.uint32),
                                                     ("cinc1", float), ("cinc2", float))}
        for m in _MEASURES:
            cols[m] = np.empty(n)
        for k in range(n):
            r = rows[k]
            cols["ccode1"][k], cols["ccode2"][k], cols["year"][k] = r.ccode1, r.ccode2, r.year
            cols["obligations"][k], cols["cinc1"][k], cols["cinc2"][k] = r.obligations, r.cinc1, r.cinc2
            for m in _MEASURES:
                cols[m][k] = getattr(r.m, m)
        df = pd.DataFrame(cols)
        abbr = {c: _s(lib.ent_portfolios_abbr(pf[0], int(c))) for c in np.unique(np.r_[df.ccode1, df.ccode2])}
        df.insert(2, "abbr1", df.ccode1.map(abbr))
        df.insert(3, "abbr2", df.ccode2.map(abbr))
        for bit, name in ((1, "defense"), (2, "offense"), (4, "neutral"), (8, "nonagg"), (16, "consul")):
            df[name] = (df.obligations & bit) != 0
        return df
    finally:
        lib.ent_vec_destroy(vec)
        lib.ent_portfolios_free(pf[0])
        if own:
            st.close()


def dyads(store, years, directed=False, columns=None, mids="cow"):
    """The dyad-year research panel of `entente dyads` (docs/measures.md documents every column):
    for each year in `years` (an int or an iterable of consecutive years) every dyad of the COW
    system with alliances, the outcome new_defence, geography, power, regime, conflict, trade,
    institutions, UN votes and similarity. Missing values are NaN; sources absent from the store
    leave their columns empty, with a warning naming the import that would fill them."""
    years = [int(years)] if isinstance(years, (int, np.integer)) else sorted(int(y) for y in years)
    own = not isinstance(store, Store)
    st = Store(store) if own else store
    opt = ffi.new("ent_panel_options_t *")
    opt.version = _ffi.PANEL_OPTIONS_VERSION
    setattr(opt, "from", years[0])
    opt.to = years[-1]
    opt.directed = bool(directed)
    keep = [ffi.new("char[]", mids.encode())]
    opt.mid_dataset = keep[0]
    if columns is not None:
        names = [ffi.new("char[]", c.encode()) for c in columns]
        keep.append(names)
        arr = ffi.new("char *[]", names)
        keep.append(arr)
        opt.columns = arr
        opt.ncolumns = len(names)
    pp = ffi.new("ent_panel_t **")
    try:
        _check(lib.ent_panel_build(pp, st._st, opt))
        p = pp[0]
        n = lib.ent_panel_nrows(p)
        cols = {"ccode1": np.frombuffer(ffi.buffer(lib.ent_panel_ccode1(p), 4 * n), dtype=np.int32).copy(),
                "ccode2": np.frombuffer(ffi.buffer(lib.ent_panel_ccode2(p), 4 * n), dtype=np.int32).copy(),
                "year": np.frombuffer(ffi.buffer(lib.ent_panel_year(p), 4 * n), dtype=np.int32).copy()}
        for k in range(lib.ent_panel_ncolumns(p)):
            cols[_s(lib.ent_panel_column_name(p, k))] = np.frombuffer(
                ffi.buffer(lib.ent_panel_column_at(p, k), 8 * n), dtype=np.float64).copy()
        for k in range(lib.ent_panel_nnotes(p)):
            warnings.warn(_s(lib.ent_panel_note(p, k)))
        return pd.DataFrame(cols)
    finally:
        lib.ent_panel_free(pp[0])
        if own:
            st.close()


class Simulation:
    """An ensemble of the alignment model on one scenario: .poles, .series and .states as
    DataFrames (the same figures as `entente simulate --json`)."""

    def __init__(self, scenario, world, ens, model, k_pacts):
        s = scenario
        self.name = ffi.string(s.name).decode()
        self.description = ffi.string(s.description).decode()
        self.runs = lib.ent_ensemble_runs(ens)
        self.seed = s.seed
        self.start_year, self.report_year = s.start_year, s.report_year
        self.end_year = s.start_year + s.years
        ry = s.report_year
        poles = []
        npoles = lib.ent_model_npoles(model)  # the scenario's poles, in the model's canonical order
        for p in range(npoles):
            abbr = ffi.string(lib.ent_model_pole_code(model, p)).decode()
            base = int(round(lib.ent_ensemble_mean(ens, lib.ent_series_for_pole(0, p), s.start_year)))  # PACTS0 = 0
            a = lib.ent_ensemble_p_pacts(ens, p, k_pacts, ry)
            m = lib.ent_ensemble_p_pacts(ens, p, base + 1, ry)
            b = lib.ent_ensemble_p_builder(ens, p, ry)
            my = lib.ent_ensemble_median_cross_year(ens, p)
            poles.append({"pole": abbr, "pacts_in_base_year": base, "k": k_pacts, "p_at_least_k_pacts": a.p,
                          "p_at_least_k_pacts_lo": a.lo, "p_at_least_k_pacts_hi": a.hi,
                          "p_more_pacts_than_base": m.p, "p_more_pacts_than_base_lo": m.lo,
                          "p_more_pacts_than_base_hi": m.hi, "p_alliance_builder": b.p,
                          "p_alliance_builder_lo": b.lo, "p_alliance_builder_hi": b.hi,
                          "median_year_alliance_builder": my if my else None})
        self.poles = pd.DataFrame(poles)
        rows = []
        pole_abbr = list(self.poles.pole)
        buf = ffi.new("char[64]")
        for sr in range(lib.ent_model_nseries(model)):  # SERIES, then four per pole beyond the second
            # Poles are named by state code by the library, as the CLI names them ("pacts_CHN").
            name = ffi.string(lib.ent_model_series_key(model, sr, buf, 64)).decode()
            for y in range(s.start_year, self.end_year + 1):
                rows.append({"series": name, "year": y, "mean": lib.ent_ensemble_mean(ens, sr, y),
                             "q05": lib.ent_ensemble_quantile(ens, sr, y, 0.05),
                             "q50": lib.ent_ensemble_quantile(ens, sr, y, 0.5),
                             "q95": lib.ent_ensemble_quantile(ens, sr, y, 0.95)})
        self.series = pd.DataFrame(rows)
        rows = []
        for i in range(lib.ent_model_nstates(model)):
            wi = lib.ent_model_state(model, i)
            st = lib.ent_world_state(world._w, wi)
            r = {"abbr": ffi.string(st.abbr).decode(), "ccode": st.ccode}
            # alignment codes: 0 hedge, 1 + p aligned with pole p, 1 + K + p Finlandized toward p
            keys = ["hedge"] + [f"aligned_{c}" for c in pole_abbr] + [f"finlandized_{c}" for c in pole_abbr]
            for a, key in enumerate(keys):
                r["p_" + key] = lib.ent_ensemble_p_align(ens, i, a, ry).p
            for p in range(npoles):
                r[f"p_pact_with_{pole_abbr[p]}"] = lib.ent_ensemble_p_pact_with(ens, i, p, ry).p
            rows.append(r)
        self.states = pd.DataFrame(rows)

    def __repr__(self):
        return f"<entente.Simulation {self.name!r}: {self.runs} runs, {self.start_year}-{self.end_year}>"


def _scenario_path(scenario):
    p = str(scenario)
    if not os.path.exists(p) and os.sep not in p and not p.endswith((".yaml", ".yml")):
        p = os.path.join(scenario_dir(), p + ".yaml")  # a shipped scenario by name
    return p


def simulate(scenario, world=None, runs=None, seed=None, threads=0, pacts=3):
    """Runs the alignment model on a scenario (a YAML path, or a shipped scenario's name such as
    "baseline"): `runs` runs (default: the scenario's) seeded from `seed` (default: the
    scenario's); run k uses stream (seed, k), so results equal the CLI's on any thread count."""
    w = world if world is not None else World.load()
    s = ffi.new("ent_scenario_t *")
    _check(lib.ent_scenario_load(s, _scenario_path(scenario).encode(), w._w))
    if runs is not None:
        s.runs = int(runs)
    if seed is not None:
        s.seed = int(seed)
    model = ffi.new("ent_model_t **")
    ens = ffi.new("ent_ensemble_t **")
    _check(lib.ent_model_new(model, w._w, s))
    try:
        opts = _ffi.options("ent_ensemble_options_t", threads=threads)
        _check(lib.ent_ensemble_run(ens, model[0], 0, s.runs, opts))
        return Simulation(s, w, ens[0], model[0], pacts)
    finally:
        lib.ent_ensemble_free(ens[0])
        lib.ent_model_free(model[0])


def forecast(directory=None, world=None, runs=None, seed=None, threads=0, pacts=3):
    """Every scenario of a directory (default: the shipped ones) with the same seed, and the same runs
    (default: each scenario's own, 500 in the shipped ones), so they share common random numbers,
    as `entente forecast`: a dict name -> Simulation and a
    headline DataFrame (one row per scenario and pole)."""
    w = world if world is not None else World.load()
    d = str(directory) if directory is not None else scenario_dir()
    sims = {}
    for path in sorted(glob.glob(os.path.join(d, "*.yaml"))):
        sim = simulate(path, world=w, runs=runs, seed=seed, threads=threads, pacts=pacts)
        sims[sim.name] = sim
    head = pd.concat([s.poles.assign(scenario=n) for n, s in sims.items()], ignore_index=True) if sims else None
    if head is not None:
        head = head[["scenario"] + [c for c in head.columns if c != "scenario"]]
    return sims, head
