/**
 * The workflow implementations a worker under Worker Versioning registers: each declares its versioning behaviour,
 * which Temporal refuses from a worker without versioning, so unversioned workers register the plain classes instead
 * (the worker chooses; see {@code VersionedWorkflowClasses} in the worker). Same logic, same workflow types.
 */
package dev.ripcord.workflows.versioned;
