/**
 * The host file operations the VFS needs (implemented by host/node/, later host/browser/).
 * Placeholder: the VFS work defines the operations.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the VFS work
export interface HostFs {}
