"""Errors this project raises on purpose, each saying what happened, where, and what to do next.

    GraphExplorerError
     +-- BackendUnavailable     the engine cannot be reached or opened (names the URI or path)
     +-- AuthenticationFailed   Neo4j refused the credentials
     +-- QueryNotReadOnly       a read-only entry point was given a write, DDL or writing procedure
     +-- QuerySyntaxError       the engine could not parse the query (carries the engine's own message)
     +-- QueryTimeout           the query ran past its time limit
     +-- QueryFailed            the engine refused the query for another reason
     +-- QueryFileError         a saved .cypher file is malformed (file:line and the fix)
     +-- MissingParameter       a saved query was run without a required parameter
     +-- ParameterError         a parameter value does not fit its declared type
     +-- LoaderError            a data file is bad (file:line and the fix); nothing was written
     +-- LoadFailed             a write to the graph failed; the previous graph is unchanged
"""

from __future__ import annotations


class GraphExplorerError(Exception):
    """Root of every error this project raises on purpose."""


class BackendUnavailable(GraphExplorerError):
    """The configured graph engine cannot be reached or opened."""


class AuthenticationFailed(BackendUnavailable):
    """Neo4j refused the user name or password."""


class QueryNotReadOnly(GraphExplorerError):
    """A read-only entry point was given a query that writes."""


class QuerySyntaxError(GraphExplorerError):
    """The engine could not parse the query."""


class QueryTimeout(GraphExplorerError):
    """The query ran longer than its time limit and was stopped."""


class QueryFailed(GraphExplorerError):
    """The engine refused or failed the query for a reason other than syntax or time."""


class QueryFileError(GraphExplorerError):
    """A saved query file is malformed."""


class MissingParameter(GraphExplorerError):
    """A saved query was run without one of its required parameters."""


class ParameterError(GraphExplorerError):
    """A value given for a saved query's parameter does not fit its declared type."""


class LoaderError(GraphExplorerError):
    """A data file is malformed; the message names the file, the line and the fix."""


class LoadFailed(GraphExplorerError):
    """Writing records to the graph failed; the previous graph was left as it was."""
