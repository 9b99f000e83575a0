"""HERD: hdmf-common's external resources (user terms -> entities of ontologies, registries).

Six tables (see :mod:`hdmf_arrow.common._herd_tables`) tie the *keys* (user terms) used by
*objects* (a container, an attribute of it, a field of a compound dataset) of *files* to the
*entities* (an id and a URI at a resource) they stand for. The API is hdmf 6.2's.

The "file" of a container is its nearest ancestor that is a :class:`HERDManager` (hdmf's
rule; hdmf's own ``hdmf.HERDManager`` counts too), or else the container holding the HERD
itself: ``SimpleMultiContainer("session", [herd, table])`` makes ``session`` the file of
``table``, so a tree written to a store needs no special class.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from hdmf_arrow.common._container import Container
from hdmf_arrow.common._herd_refs import (
    find_attribute,
    flatten,
    is_container,
    is_data,
    is_file,
    label,
    term_info,
    tree_objects,
)
from hdmf_arrow.common._herd_tables import (
    TABLES,
    Entity,
    EntityKey,
    EntityKeyTable,
    EntityTable,
    File,
    FileTable,
    HerdTable,
    Key,
    KeyTable,
    Object,
    ObjectKey,
    ObjectKeyTable,
    ObjectTable,
    Row,
    index_problems,
)
from hdmf_arrow.errors import (
    InvalidArgumentError,
    InvalidArgumentTypeError,
    UnresolvedReferenceError,
)

if TYPE_CHECKING:
    import os

    import pandas as pd

    from hdmf_arrow.common._registry import TypeMap

_RESOURCE_KEYS = frozenset(
    {
        "container", "attribute", "object_id", "object_type", "file_object_id",
        "relative_path", "field", "key", "entity_id", "entity_uri",
    }
)  # fmt: skip


class HERD(Container):
    """HDMF External Resources Data Structure: which keys (user terms) of which objects of
    which files stand for which entities of external resources (ontologies, registries).

    Parameters
    ----------
    keys, files, entities, objects, object_keys, entity_keys
        The six tables (new, empty ones by default).
    type_map
        Where the specs of the containers' types are, to turn an attribute into its path
        (hdmf-common's by default).
    name
        Always ``external_resources`` in hdmf; kept as a keyword for trees that hold more.
    object_id
        The HERD's id (a new uuid4 by default).

    Examples
    --------
    >>> from hdmf_arrow.common import DynamicTable, SimpleMultiContainer
    >>> herd = HERD()
    >>> subjects = DynamicTable(name="subjects", description="subjects")
    >>> subjects.add_column("species", "species", data=["Mus musculus"])
    >>> session = SimpleMultiContainer("session", [subjects, herd])
    >>> key = herd.add_ref(container=subjects, attribute="species", key="Mus musculus",
    ...              entity_id="NCBITaxon:10090",
    ...              entity_uri="https://www.ncbi.nlm.nih.gov/Taxonomy/Browser/wwwtax.cgi?id=10090")
    >>> herd.keys.data, herd.objects["object_type", 0], herd.entities["entity_id", 0]
    ([('Mus musculus',)], 'VectorData', 'NCBITaxon:10090')
    >>> herd.get_container(0) is subjects["species"]
    True
    """

    data_type: ClassVar[str] = "HERD"

    def __init__(
        self,
        *,
        keys: KeyTable | None = None,
        files: FileTable | None = None,
        entities: EntityTable | None = None,
        objects: ObjectTable | None = None,
        object_keys: ObjectKeyTable | None = None,
        entity_keys: EntityKeyTable | None = None,
        type_map: TypeMap | None = None,
        name: str = "external_resources",
        object_id: str | None = None,
    ) -> None:
        super().__init__(name, object_id=object_id)
        given: dict[str, HerdTable | None] = {
            "keys": keys,
            "files": files,
            "entities": entities,
            "objects": objects,
            "object_keys": object_keys,
            "entity_keys": entity_keys,
        }
        tables: dict[str, HerdTable] = {}
        for attr, cls in TABLES.items():
            passed = given[attr]
            table = cls() if passed is None else passed  # (an empty table is falsy)
            if not isinstance(table, cls):
                msg = (
                    f"HERD {name!r}: {attr!r} must be a {cls.__name__}, not {type(table).__name__}"
                )
                raise InvalidArgumentTypeError(msg)
            tables[attr] = table
        self._tables = tables
        for table in tables.values():
            self._adopt(table)
        self._type_map = type_map
        # object id -> container, for get_container: those given to add_ref, and (after a
        # read) every object of the tree the HERD was read with
        self._containers: dict[str, Any] = {}

    # -- the tables ----------------------------------------------------------------------
    @property
    def keys(self) -> KeyTable:
        """The user terms."""
        return self._tables["keys"]  # type: ignore[return-value]

    @property
    def files(self) -> FileTable:
        """The object ids of the files."""
        return self._tables["files"]  # type: ignore[return-value]

    @property
    def entities(self) -> EntityTable:
        """The entities: an id and a URI each."""
        return self._tables["entities"]  # type: ignore[return-value]

    @property
    def objects(self) -> ObjectTable:
        """The objects holding keys."""
        return self._tables["objects"]  # type: ignore[return-value]

    @property
    def object_keys(self) -> ObjectKeyTable:
        """Which object uses which key."""
        return self._tables["object_keys"]  # type: ignore[return-value]

    @property
    def entity_keys(self) -> EntityKeyTable:
        """Which key stands for which entity."""
        return self._tables["entity_keys"]  # type: ignore[return-value]

    @property
    def tables(self) -> dict[str, HerdTable]:
        """The six tables by name, in hdmf's order."""
        return dict(self._tables)

    @property
    def children(self) -> tuple[Container, ...]:
        return tuple(self._tables.values())

    @property
    def type_map(self) -> TypeMap:
        """The type map used to find attribute specs (hdmf-common's unless given)."""
        if self._type_map is None:
            from hdmf_arrow.common._registry import get_type_map

            self._type_map = get_type_map(copy=False)
        return self._type_map

    @type_map.setter
    def type_map(self, value: TypeMap) -> None:
        self._type_map = value

    def _what(self) -> str:
        return f"HERD {self.name!r}"

    # -- the rows, one by one (hdmf's private helpers, which its tests call) --------------
    def _add_key(self, key_name: str) -> Key:
        return Key(key_name, table=self.keys)

    def _add_file(self, file_object_id: str) -> File:
        return File(file_object_id, table=self.files)

    def _add_entity(self, entity_id: str, entity_uri: str) -> Entity:
        return Entity(entity_id, entity_uri, table=self.entities)

    def _add_object(
        self,
        files_idx: int,
        container: Any,
        object_type: str | None = None,
        relative_path: str = "",
        field: str = "",
    ) -> Object:
        if isinstance(container, str):
            if object_type is None:
                msg = f"{self._what()}: an object given by its id ({container!r}) needs object_type"
                raise InvalidArgumentError(msg)
            object_id = container
        else:
            object_id = container.object_id
            object_type = object_type or type(container).__name__
            self._containers[object_id] = container
        return Object(files_idx, object_id, object_type, relative_path, field, table=self.objects)

    def _add_object_key(self, obj: Object | int, key: Key | int) -> ObjectKey:
        return ObjectKey(obj, key, table=self.object_keys)

    def _add_entity_key(self, entity: Entity | int, key: Key | int) -> EntityKey:
        return EntityKey(entity, key, table=self.entity_keys)

    def _find_object_idx(
        self, file_object_id: str, object_id: str, relative_path: str, field: str
    ) -> int | None:
        objects = self.objects
        in_file = set(self.files.which(file_object_id=file_object_id))
        matches = [
            i
            for i in objects.which_all(
                object_id=object_id, relative_path=relative_path, field=field
            )
            if objects["files_idx", i] in in_file
        ]
        if len(matches) > 1:
            msg = (
                f"{self._what()}: the objects table has rows {matches} for object "
                f"{object_id!r} (relative_path {relative_path!r}, field {field!r}) of file "
                f"{file_object_id!r}; an object has one row. Found multiple instances of the "
                f"same object id, relative path, and field in objects table."
            )
            raise InvalidArgumentError(msg)
        return matches[0] if matches else None

    def _find_object(
        self, file: Any, container: Any, relative_path: str, field: str
    ) -> Object | None:
        """The Object row of ``container`` (with this relative_path and field) in ``file``."""
        found = self._find_object_idx(file.object_id, container.object_id, relative_path, field)
        return None if found is None else self.objects.row[found]  # type: ignore[return-value]

    def _file_idx(self, file_object_id: str) -> int | None:
        rows = self.files.which(file_object_id=file_object_id)
        if len(rows) > 1:
            msg = (
                f"{self._what()}: the files table has rows {rows} for file {file_object_id!r}; "
                f"a file has one row. Found multiple instances of the same file."
            )
            raise InvalidArgumentError(msg)
        return rows[0] if rows else None

    def _find_or_add_object(
        self, file: Any, container: Any, relative_path: str, field: str
    ) -> Object:
        found = self._find_object(file, container, relative_path, field)
        if found is not None:
            return found
        files_idx = self._file_idx(file.object_id)
        if files_idx is None:
            files_idx = self._add_file(file.object_id).idx
        assert files_idx is not None
        return self._add_object(files_idx, container, relative_path=relative_path, field=field)

    def _get_file_from_container(self, container: Any) -> Any:
        """The file of ``container``: itself or its nearest ancestor that is a HERDManager,
        else the container that holds this HERD, when it is an ancestor."""
        if is_container(container):
            if is_file(container):
                return container
            node = container.parent
            while node is not None:
                if is_file(node):
                    return node
                node = node.parent
            holder = self.parent
            if holder is not None:
                node = container
                while node is not None:
                    if node is holder:
                        return holder
                    node = node.parent
        msg = (
            f"Could not find the file associated with container "
            f"'{getattr(container, 'name', container)}'. Please add the container to the "
            f"file before adding an external reference."
        )
        raise InvalidArgumentError(msg)

    # -- resolving what a reference is on --------------------------------------------------
    def _resolve_object_target(self, container: Any, attribute: str | None) -> tuple[Any, str]:
        """``(container, relative_path)`` of the object a reference is on: the container,
        the sub-container ``attribute`` names, or the container with the spec path of a
        non-container attribute (``"description"``, ``"data/unit"``)."""
        if attribute is None:
            return container, ""
        try:
            value = getattr(container, attribute)
        except AttributeError:
            value = None
            if not hasattr(container, "__getitem__"):
                msg = f"{label(container)} has no attribute {attribute!r}"
                raise InvalidArgumentError(msg) from None
            try:
                value = container[attribute]
            except (KeyError, IndexError, TypeError, ValueError):
                msg = f"{label(container)} has no attribute {attribute!r}"
                raise InvalidArgumentError(msg) from None
        if is_container(value):
            return value, ""
        return container, self._attribute_path(container, attribute)

    def _attribute_path(self, container: Any, attribute: str) -> str:
        """The path of a plain attribute below ``container``, from its spec: ``description``,
        or ``data/unit`` for an attribute of an untyped dataset; the attribute's name when the
        spec does not have it."""
        mapper = self.type_map.get_map(container)
        hdmf_spec = getattr(mapper, "get_attr_spec", None)
        if callable(hdmf_spec):  # hdmf's own TypeMap (and its specs, which know their paths)
            spec = hdmf_spec(attr_name=attribute)
            if spec is None or not hasattr(spec, "path"):
                return attribute
            owner = spec.parent
            while owner is not None and owner.data_type is None:
                owner = owner.parent
            get_cls = getattr(self.type_map, "get_dt_container_cls", None)
            if owner is not None and owner is not spec.parent and callable(get_cls):
                owner_cls = get_cls(data_type=owner.data_type, autogen=False)
                if isinstance(owner_cls, type) and not isinstance(container, owner_cls):
                    msg = (
                        f"attribute {attribute!r} of {label(container)} belongs to "
                        f"{owner.data_type}: Container not the nearest data_type"
                    )
                    raise InvalidArgumentError(msg)
            path: str = spec.path
            return path[path.find("/") + 1 :]
        spec = getattr(mapper, "spec", None)
        if spec is None:
            return attribute
        found = find_attribute(spec, attribute)
        if found is None:
            return attribute
        if found is False:
            msg = (
                f"attribute {attribute!r} of {label(container)} belongs to a typed part of "
                f"its spec, not to {type(container).__name__} itself: Container not the "
                f"nearest data_type. Hint: pass that part as the container."
            )
            raise InvalidArgumentError(msg)
        return str(found)

    # -- add_ref ---------------------------------------------------------------------------
    def add_ref(
        self,
        entity_id: str | None = None,
        container: Any = None,
        attribute: str | None = None,
        field: str = "",
        key: str | Key | None = None,
        entity_uri: str | None = None,
    ) -> Key:
        """Record that ``key`` (a user term) of ``container`` stands for an entity.

        An object is (file, object id, relative_path, field); the same key of one object,
        and the same entity, are reused. Nothing is added when the call fails.

        Parameters
        ----------
        entity_id
            The entity's id at its resource (a CURIE such as ``NCBITaxon:9606``).
        container
            The container (or dataset) that uses the key; it must be in a file (see the
            module docs).
        attribute
            An attribute of ``container``: a sub-container (a column, ``id``), or a plain
            attribute (``description``), which becomes the object's ``relative_path``.
        field
            The field of a compound dataset that holds the key.
        key
            The term, or a Key row of this HERD to reuse. Defaults to the value of a text
            ``attribute``.
        entity_uri
            The entity's URI; required for a new entity. For a known entity a different URI
            warns and the known one is kept.

        Returns
        -------
        Key
            The key row used.

        Raises
        ------
        InvalidArgumentError
            No file for the container, no key, or a new entity without a URI.

        Examples
        --------
        >>> from hdmf_arrow.common import Data, SimpleMultiContainer
        >>> herd = HERD()
        >>> species = Data("species", ["Homo sapiens"])
        >>> _ = SimpleMultiContainer("file", [species, herd])
        >>> herd.add_ref("NCBITaxon:9606", species, key="Homo sapiens",
        ...              entity_uri="https://identifiers.org/taxonomy:9606")
        Row(0, keys) = {'key': 'Homo sapiens'}
        """
        if is_data(container) and attribute == "data":
            attribute = None  # the dataset itself (hdmf's TermSetWrapper case)
        if key is None and attribute is not None:
            if not is_container(container):
                msg = (
                    f"Cannot default 'key' from attribute {attribute!r} because 'container' is "
                    f"not a Container/Data object. Provide 'key' explicitly."
                )
                raise InvalidArgumentError(msg)
            value = getattr(container, attribute, None)
            if not isinstance(value, str):
                msg = (
                    f"Cannot default 'key' from attribute {attribute!r} of {label(container)} "
                    f"because its value is not a single string (found {type(value).__name__}). "
                    f"Provide 'key' explicitly."
                )
                raise InvalidArgumentError(msg)
            key = value
        file = self._get_file_from_container(container)
        target, relative_path = self._resolve_object_target(container, attribute)
        return self._add_ref_ids(
            file_object_id=file.object_id,
            object_id=target.object_id,
            object_type=type(target).__name__,
            relative_path=relative_path,
            field=field,
            key=key,
            entity_id=entity_id,
            entity_uri=entity_uri,
            container=target,
        )

    def add_resource(self, resource_spec: dict[str, Any]) -> Key:
        """Add an external resource reference described by a dict (add_ref's arguments).

        Two forms, by what names the object:

        - ``{"container": obj, "key": ..., "entity_id": ..., "entity_uri": ...}`` with
          optional ``"attribute"`` and ``"field"``: exactly :meth:`add_ref`;
        - ``{"object_id": ..., "object_type": ..., "file_object_id": ..., "key": ...,
          "entity_id": ..., "entity_uri": ...}`` with optional ``"relative_path"`` and
          ``"field"``: an object known only by its ids (from another file, a JSON export,
          a spreadsheet).

        ``entity_uri`` may be left out for a known entity. Returns the Key row.

        Raises
        ------
        InvalidArgumentError
            Unknown or missing keys, or both forms at once.

        Examples
        --------
        >>> herd = HERD()
        >>> herd.add_resource({
        ...     "object_id": "0c6c3b0a-0000-4000-8000-000000000001", "object_type": "VectorData",
        ...     "file_object_id": "0c6c3b0a-0000-4000-8000-0000000000ff",
        ...     "key": "mouse", "entity_id": "NCBITaxon:10090",
        ...     "entity_uri": "https://identifiers.org/taxonomy:10090"})
        Row(0, keys) = {'key': 'mouse'}
        >>> herd.add_resource({"object_id": "x", "key": "mouse"})
        Traceback (most recent call last):
        hdmf_arrow.errors.InvalidArgumentError: HERD 'external_resources'.add_resource: ...
        """
        if not isinstance(resource_spec, dict):
            msg = f"{self._what()}.add_resource takes a dict, not {type(resource_spec).__name__}"
            raise InvalidArgumentTypeError(msg)
        spec = dict(resource_spec)
        unknown = sorted(set(spec) - _RESOURCE_KEYS)
        by_container = "container" in spec
        by_id = "object_id" in spec
        if by_container:
            needed = {"container", "entity_id"}
            allowed = {"container", "attribute", "field", "key", "entity_id", "entity_uri"}
        else:
            needed = {"object_id", "object_type", "file_object_id", "key", "entity_id"}
            allowed = needed | {"relative_path", "field", "entity_uri"}
        missing = sorted(needed - set(spec))
        wrong = sorted(set(spec) - allowed - set(unknown))
        if unknown or missing or wrong or by_container == by_id:
            msg = (
                f"{self._what()}.add_resource: the dict names the object by 'container' or by "
                f"'object_id' (with 'object_type' and 'file_object_id'), and needs 'key' and "
                f"'entity_id'; found keys {sorted(spec)} (unknown {unknown}, missing "
                f"{missing}, not for this form {wrong})"
            )
            raise InvalidArgumentError(msg)
        if by_container:
            return self.add_ref(**spec)
        return self._add_ref_ids(
            file_object_id=spec["file_object_id"],
            object_id=spec["object_id"],
            object_type=spec["object_type"],
            relative_path=spec.get("relative_path", ""),
            field=spec.get("field", ""),
            key=spec["key"],
            entity_id=spec["entity_id"],
            entity_uri=spec.get("entity_uri"),
        )

    def _add_ref_ids(
        self,
        *,
        file_object_id: str,
        object_id: str,
        object_type: str,
        relative_path: str,
        field: str,
        key: str | Key | None,
        entity_id: str | None,
        entity_uri: str | None,
        container: Any = None,
    ) -> Key:
        """add_ref on ids: every check first, then the rows (so a failure adds nothing)."""
        for arg, value in (
            ("file_object_id", file_object_id),
            ("object_id", object_id),
            ("object_type", object_type),
            ("relative_path", relative_path),
            ("field", field),
            ("entity_id", entity_id),
        ):
            if not isinstance(value, str):
                msg = (
                    f"{self._what()}.add_ref: {arg!r} must be a str, not "
                    f"{type(value).__name__} {value!r:.40}"
                )
                raise InvalidArgumentTypeError(msg)
        assert isinstance(entity_id, str)
        if entity_uri is not None and not isinstance(entity_uri, str):
            msg = (
                f"{self._what()}.add_ref: 'entity_uri' must be a str, not "
                f"{type(entity_uri).__name__}"
            )
            raise InvalidArgumentTypeError(msg)
        if key is None:
            msg = f"{self._what()}.add_ref: no key given for entity {entity_id!r}"
            raise InvalidArgumentError(msg)
        if isinstance(key, Row):
            if not isinstance(key, Key) or key.table is not self.keys or key.idx is None:
                msg = (
                    f"{self._what()}.add_ref: the Key {key} is not a row of this HERD's keys "
                    f"table. Hint: get it with get_key() of this HERD."
                )
                raise InvalidArgumentError(msg)
        elif not isinstance(key, str):
            msg = f"{self._what()}.add_ref: 'key' must be a str or a Key, not {type(key).__name__}"
            raise InvalidArgumentTypeError(msg)
        entity_rows = self.entities.which(entity_id=entity_id)
        entity_idx = entity_rows[0] if entity_rows else None
        if entity_idx is None:
            if entity_uri is None:
                msg = (
                    f"New entities must have an entity_uri: entity {entity_id!r} is not in "
                    f"{self._what()}; pass entity_uri."
                )
                raise InvalidArgumentError(msg)
        else:
            known = self.entities["entity_uri", entity_idx]
            if entity_uri is not None and entity_uri != known:
                msg = (
                    f"The provided entity_uri '{entity_uri}' does not match the existing "
                    f"entity_uri '{known}' for entity_id '{entity_id}'. The existing "
                    f"entity_uri is kept."
                )
                warnings.warn(msg, UserWarning, stacklevel=3)
        files_idx = self._file_idx(file_object_id)
        obj_idx = (
            None
            if files_idx is None
            else self._find_object_idx(file_object_id, object_id, relative_path, field)
        )
        key_idx: int | None
        add_object_key = True
        if isinstance(key, Key):
            key_idx = key.idx
            if obj_idx is not None:
                add_object_key = not self.object_keys.which_all(
                    objects_idx=obj_idx, keys_idx=key_idx
                )
        else:
            key_idx = None
            if obj_idx is not None:  # a key of this name that the object uses already
                key_idx = self._key_of_object(key, obj_idx, last=True)
                add_object_key = key_idx is None
        add_entity_key = (
            entity_idx is None
            or key_idx is None
            or not self.entity_keys.which_all(entities_idx=entity_idx, keys_idx=key_idx)
        )
        # every check passed: add the rows
        if files_idx is None:
            files_idx = self.files.add_row(file_object_id)
        if obj_idx is None:
            obj_idx = self.objects.add_row(files_idx, object_id, object_type, relative_path, field)
        if container is not None:
            self._containers[object_id] = container
        if key_idx is None:
            assert isinstance(key, str)
            key_idx = self.keys.add_row(key)
        if add_object_key:
            self.object_keys.add_row(obj_idx, key_idx)
        if entity_idx is None:
            assert entity_uri is not None
            entity_idx = self.entities.add_row(entity_id, entity_uri)
        if add_entity_key:
            self.entity_keys.add_row(entity_idx, key_idx)
        return self.keys.row[key_idx]  # type: ignore[return-value]

    # -- TermSets (hdmf's TermSet, or any mapping of term -> (id, ..., uri)) --------------
    def add_ref_termset(
        self,
        termset: Any,
        container: Any = None,
        attribute: str | None = None,
        field: str = "",
        key: str | Key | None = None,
    ) -> dict[str, list[Any]] | None:
        """add_ref for each term (``key``, or every value of the container/attribute) found
        in ``termset``; returns ``{"missing_terms": [...]}`` for those it lacks.

        ``termset[term]`` gives the term's info: hdmf's ``TermSet`` (its ``Term`` tuple:
        id, description, meaning), or a mapping of term -> ``(entity_id, entity_uri)``.
        Nothing here uses the network.

        Examples
        --------
        >>> from hdmf_arrow.common import Data, SimpleMultiContainer
        >>> herd = HERD()
        >>> species = Data("species", ["Homo sapiens", "Felis catus"])
        >>> _ = SimpleMultiContainer("file", [species, herd])
        >>> terms = {"Homo sapiens": ("NCBITaxon:9606", "https://identifiers.org/taxonomy:9606")}
        >>> herd.add_ref_termset(terms, species)
        {'missing_terms': ['Felis catus']}
        >>> herd.keys.data
        [('Homo sapiens',)]
        """
        if key is not None:
            terms: Any = [key]
        else:
            source = container if attribute is None else getattr(container, attribute, None)
            if is_container(source) and hasattr(source, "data"):
                terms = getattr(source, "data")  # noqa: B009 (Any: ours or hdmf's)
            elif isinstance(source, (list, tuple, np.ndarray)):
                terms = source
            else:
                msg = (
                    f"{self._what()}.add_ref_termset: the data object being used "
                    f"({type(source).__name__}) is not supported; pass a dataset, a list, or "
                    f"a key."
                )
                raise InvalidArgumentError(msg)
        missing = []
        for term in list(terms):
            try:
                info = termset[term]
            except (KeyError, ValueError, IndexError):
                missing.append(term)
                continue
            entity_id, entity_uri = term_info(info)
            self.add_ref(
                entity_id, container, attribute, field=field, key=term, entity_uri=entity_uri
            )
        return {"missing_terms": missing} if missing else None

    def __check_termset_wrapper(self, objects: list[Any]) -> list[tuple[Any, str, Any]]:
        """``(object, attribute, wrapper)`` for every field of ``objects`` that holds a
        TermSetWrapper (anything with ``.value`` and ``.termset``)."""
        found = []
        for obj in objects:
            for name in dir(obj):
                if name.startswith("_"):
                    continue
                try:
                    value = getattr(obj, name)
                except Exception:
                    continue
                if not callable(value) and hasattr(value, "termset") and hasattr(value, "value"):
                    found.append((obj, name, value))
        return found

    def add_ref_container(self, root_container: Any) -> None:
        """add_ref for every value wrapped in a TermSetWrapper (``.value``, ``.termset``)
        among the fields of ``root_container`` and its descendants."""
        objects, stack = [], [root_container]
        while stack:
            obj = stack.pop()
            objects.append(obj)
            stack.extend(getattr(obj, "children", ()))
        for obj, name, wrapper in self.__check_termset_wrapper(objects):
            values = wrapper.value
            items = list(values) if isinstance(values, (list, tuple, np.ndarray)) else [values]
            for term in items:
                entity_id, entity_uri = term_info(wrapper.termset[term])
                self.add_ref(entity_id, obj, name, key=term, entity_uri=entity_uri)

    # -- lookups ---------------------------------------------------------------------------
    def get_key(
        self,
        key_name: str,
        file: Any = None,
        container: Any = None,
        relative_path: str = "",
        field: str = "",
    ) -> Key | list[Key]:
        """The Key called ``key_name`` (of ``container``, when given); a list when several
        keys share the name.

        Raises
        ------
        InvalidArgumentError
            No such key (for the container), or the container is not in the objects table.

        Examples
        --------
        >>> herd = HERD()
        >>> herd.get_key("mouse")
        Traceback (most recent call last):
        hdmf_arrow.errors.InvalidArgumentError: key 'mouse' does not exist in HERD ...
        """
        matches = self.keys.which(key=key_name)
        if container is not None:
            file = file if file is not None else self._get_file_from_container(container)
            obj = self._find_object(file, container, relative_path, field)
            if obj is None:
                msg = self._not_an_object(container, relative_path, field)
                raise InvalidArgumentError(msg)
            assert obj.idx is not None
            found = self._key_of_object(key_name, obj.idx, last=False)
            if found is not None:
                return self.keys.row[found]  # type: ignore[return-value]
            msg = (
                f"No key found with that container: {label(container)} has no key "
                f"{key_name!r} in {self._what()}"
            )
            raise InvalidArgumentError(msg)
        if not matches:
            msg = f"key '{key_name}' does not exist in {self._what()}"
            raise InvalidArgumentError(msg)
        if len(matches) > 1:
            return [self.keys.row[i] for i in matches]  # type: ignore[misc]
        return self.keys.row[matches[0]]  # type: ignore[return-value]

    def _key_of_object(self, key_name: str, objects_idx: int, *, last: bool) -> int | None:
        """The key called ``key_name`` that object ``objects_idx`` uses: of its first (or
        last) such row in object_keys, as hdmf's loops find it; None if it uses none."""
        rows = [
            (r, k)
            for k in self.keys.which(key=key_name)
            for r in self.object_keys.which_all(objects_idx=objects_idx, keys_idx=k)
        ]
        if not rows:
            return None
        return (max(rows) if last else min(rows))[1]

    def _not_an_object(self, container: Any, relative_path: str, field: str) -> str:
        return (
            f"Object not in Object Table: {label(container)} (object id "
            f"{getattr(container, 'object_id', '?')}, relative_path {relative_path!r}, field "
            f"{field!r}) has no row in the objects table of {self._what()}"
        )

    def get_entity(self, entity_id: str) -> Entity | None:
        """The Entity row of ``entity_id``, or None.

        Examples
        --------
        >>> herd = HERD()
        >>> _ = herd._add_entity("NCBITaxon:9606", "https://identifiers.org/taxonomy:9606")
        >>> herd.get_entity("NCBITaxon:9606").entity_uri, herd.get_entity("x")
        ('https://identifiers.org/taxonomy:9606', None)
        """
        rows = self.entities.which(entity_id=entity_id)
        return self.entities.row[rows[0]] if rows else None  # type: ignore[return-value]

    def get_object_type(
        self,
        object_type: str,
        relative_path: str = "",
        field: str = "",
        all_instances: bool = False,
    ) -> pd.DataFrame:
        """The rows of :meth:`to_dataframe` of objects of ``object_type`` (with that
        relative_path and field, unless ``all_instances``).

        Examples
        --------
        >>> herd = HERD()
        >>> _ = herd.add_resource({"object_id": "o1", "object_type": "VectorData",
        ...     "file_object_id": "f1", "key": "mouse", "entity_id": "NCBITaxon:10090",
        ...     "entity_uri": "https://identifiers.org/taxonomy:10090"})
        >>> herd.get_object_type("VectorData")[["object_id", "key"]].values.tolist()
        [['o1', 'mouse']]
        """
        df = self.to_dataframe()
        if all_instances:
            return df.loc[df["object_type"] == object_type]
        return df.loc[
            (df["object_type"] == object_type)
            & (df["relative_path"] == relative_path)
            & (df["field"] == field)
        ]

    def get_object_entities(
        self,
        file: Any = None,
        container: Any = None,
        attribute: str | None = None,
        relative_path: str = "",
        field: str = "",
    ) -> pd.DataFrame:
        """The entities (``entity_id``, ``entity_uri``) of the keys of one object.

        Examples
        --------
        >>> from hdmf_arrow.common import Data, SimpleMultiContainer
        >>> herd = HERD()
        >>> species = Data("species", ["Homo sapiens"])
        >>> _ = SimpleMultiContainer("file", [species, herd])
        >>> _ = herd.add_ref("NCBITaxon:9606", species, key="Homo sapiens",
        ...                  entity_uri="https://identifiers.org/taxonomy:9606")
        >>> herd.get_object_entities(container=species).values.tolist()
        [['NCBITaxon:9606', 'https://identifiers.org/taxonomy:9606']]

        Raises
        ------
        InvalidArgumentError
            The object is not in the objects table (or the container is in no file).
        """
        import pandas as pd

        if container is None:
            msg = f"{self._what()}.get_object_entities needs a container"
            raise InvalidArgumentError(msg)
        if file is None:
            file = self._get_file_from_container(container)
        if attribute is None:
            target, path = container, relative_path
        else:
            target, path = self._resolve_object_target(container, attribute)
        obj = self._find_object(file, target, path, field)
        if obj is None:
            raise InvalidArgumentError(self._not_an_object(target, path, field))
        entities = []
        for r in self.object_keys.which(objects_idx=obj.idx):
            k = self.object_keys["keys_idx", r]
            for e in self.entity_keys.which(keys_idx=k):
                entities.append(self.entities[self.entity_keys["entities_idx", e]])
        return pd.DataFrame(entities, columns=["entity_id", "entity_uri"])

    def get_container(self, objects_idx: int) -> Any:
        """The container that row ``objects_idx`` of the objects table refers to: one given
        to add_ref, or, for a HERD read from a store, the object of the tree read with it.

        Raises
        ------
        UnresolvedReferenceError
            No such container is known (an object of another file, or one never seen).
        """
        object_id = self.objects["object_id", objects_idx]
        found = self._containers.get(object_id)
        if found is None:
            msg = (
                f"row {objects_idx} of the objects table of {self._what()} refers to object "
                f"{object_id!r}, which is not among the containers this HERD knows (those "
                f"given to add_ref, or read with it from a store)"
            )
            raise UnresolvedReferenceError(msg)
        return found

    def check_indices(self) -> list[str]:
        """Every row index that points past the end of its table, as a sentence naming
        the table, row and column (empty when all resolve).

        Examples
        --------
        >>> herd = HERD()
        >>> _ = herd.object_keys.add_row(0, 0)
        >>> print(herd.check_indices()[0])  # doctest: +NORMALIZE_WHITESPACE
        row 0 of table 'object_keys': objects_idx 0 points past the end of table
        'objects' (0 rows)
        """
        return [
            f"row {row} of table {name!r}: {column} {value} points past the end of table "
            f"{target!r} ({limit} rows)"
            for name, row, column, value, target, limit in index_problems(self._tables)
        ]

    def problems(self, tree: Container | None = None) -> list[str]:
        """What does not resolve: row indices past the end of their table, and rows of the
        objects table whose file is an object of ``tree`` (the root of the HERD's tree by
        default) but whose object is not in it. Each names the table and the row.

        Examples
        --------
        >>> from hdmf_arrow.common import SimpleMultiContainer
        >>> herd = HERD()
        >>> file = SimpleMultiContainer("file", [herd])
        >>> _ = herd.add_resource({"object_id": "gone", "object_type": "VectorData",
        ...     "file_object_id": file.object_id, "key": "k", "entity_id": "e",
        ...     "entity_uri": "u"})
        >>> herd.problems()
        ["row 0 of table 'objects': object 'gone' (VectorData) of file 'file' is not in the tree"]
        """
        for table in self._tables.values():
            table.to_arrow()  # every table can be read (a stored one raises if not)
        found = self.check_indices()
        if found:
            return found  # the objects' files cannot be looked up
        if tree is None:
            tree = self
            while tree.parent is not None:
                tree = tree.parent
        known = tree_objects(tree)
        files = self.files.to_arrow().column("file_object_id").to_pylist()
        objects = self.objects.to_arrow()
        for row, (files_idx, object_id, object_type) in enumerate(
            zip(
                objects.column("files_idx").to_pylist(),
                objects.column("object_id").to_pylist(),
                objects.column("object_type").to_pylist(),
                strict=True,
            )
        ):
            file = known.get(files[files_idx])
            if file is not None and object_id not in known:
                found.append(
                    f"row {row} of table 'objects': object {object_id!r} ({object_type}) of "
                    f"file {file.name!r} is not in the tree"
                )
        return found

    # -- the flat view ---------------------------------------------------------------------
    def to_dataframe(self, use_categories: bool = False) -> pd.DataFrame:
        """One row per (object, key, entity) link: the six tables joined, as hdmf's
        ``to_dataframe`` (columns ``file_object_id, objects_idx, object_id, files_idx,
        object_type, relative_path, field, keys_idx, key, entities_idx, entity_id,
        entity_uri``; the ``*_idx`` columns ``uint32``). ``use_categories`` gives
        ``(table, column)`` MultiIndex columns. An empty HERD gives an empty frame.

        Raises
        ------
        UnresolvedReferenceError
            A row index points past the end of its table.

        Examples
        --------
        >>> HERD().to_dataframe().shape
        (0, 12)
        """
        problems = self.check_indices()
        if problems:
            msg = f"{self._what()} cannot be joined: {problems[0]}"
            raise UnresolvedReferenceError(msg)
        return flatten(self._tables, use_categories=use_categories)

    @staticmethod
    def assert_external_resources_equal(left: HERD, right: HERD, check_dtype: bool = True) -> bool:
        """True when the six tables of ``left`` and ``right`` hold the same rows; raises
        AssertionError listing every table that differs.

        Examples
        --------
        >>> left, right = HERD(), HERD()
        >>> HERD.assert_external_resources_equal(left, right)
        True
        >>> _ = right._add_key("mouse")
        >>> HERD.assert_external_resources_equal(left, right)
        Traceback (most recent call last):
        AssertionError: table 'keys': DataFrame are different...
        """
        import pandas as pd

        errors = []
        for name in ("keys", "files", "objects", "entities", "object_keys", "entity_keys"):
            try:
                pd.testing.assert_frame_equal(
                    left._tables[name].to_dataframe(),
                    right._tables[name].to_dataframe(),
                    check_dtype=check_dtype,
                )
            except AssertionError as exc:
                errors.append(f"table {name!r}: {exc}")
        if errors:
            raise AssertionError("\n\n".join(errors))
        return True

    # -- hdmf's zip of TSV files ---------------------------------------------------------------
    def to_zip(self, path: str | os.PathLike[str]) -> None:
        """Write the six tables as TSV files in one zip, as hdmf does (``keys.tsv``, ...);
        hdmf's ``HERD.from_zip`` reads it. No file but the zip is written.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> where = pathlib.Path(tempfile.mkdtemp()) / "herd.zip"
        >>> HERD().to_zip(where)
        >>> HERD.from_zip(where).keys.data
        []
        """
        from pathlib import Path

        from hdmf_arrow.common._herd_zip import encode_zip

        Path(path).write_bytes(encode_zip(self._tables))

    @classmethod
    def get_zip_directory(cls, path: str | os.PathLike[str]) -> str:
        """The directory of ``path`` (resolved), as hdmf's ``get_zip_directory``."""
        from pathlib import Path

        return str(Path(path).resolve().parent)

    @classmethod
    def from_zip(cls, path: str | os.PathLike[str], type_map: TypeMap | None = None) -> HERD:
        """A HERD from a zip of TSV files that :meth:`to_zip` or hdmf wrote. Nothing is
        extracted to disk.

        Raises
        ------
        InvalidArgumentError
            A table is missing from the zip, a TSV has other columns, or a row index points
            past the end of its table (hdmf's "... Index out of range ..." message).
        """
        from pathlib import Path

        from hdmf_arrow.common._herd_zip import decode_zip

        tables = decode_zip(Path(path).read_bytes(), source=str(path))
        return cls(type_map=type_map, **tables)  # type: ignore[arg-type]

    # -- display -------------------------------------------------------------------------------
    def _summary(self) -> str:
        return (
            f"{len(self.keys)} key(s), {len(self.entities)} entity(ies), "
            f"{len(self.objects)} object(s), {len(self.files)} file(s)"
        )

    def _flat_or_none(self) -> pd.DataFrame | None:
        if len(self.object_keys) == 0:
            return None
        try:
            return self.to_dataframe()
        except Exception:
            return None

    def __repr__(self) -> str:
        text = f"{self.name} {type(self).__module__}.{type(self).__name__}\n  {self._summary()}"
        df = self._flat_or_none()
        if df is not None and len(df):
            text += "\n" + repr(df)
        return text

    def _repr_html_(self) -> str:
        html = f"<div><h3>{self.name} (HERD)</h3><p>{self._summary()}</p>"
        df = self._flat_or_none()
        if df is None or not len(df):
            html += "<p>No external resource references.</p>"
        else:
            html += df.to_html()
        return html + "</div>"
