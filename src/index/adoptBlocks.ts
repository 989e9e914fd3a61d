/** A server's long-query thread taking over the stored documents' files of the index its event loop opened (see blockFile.ts). */
import { BlockFile, BlockFileHandle, isBlockFileHandle, release } from './blockFile';
import type { IndexData } from './data';
import type { StoredDocuments } from './docStore';

type WithDocuments = Pick<IndexData, 'documents' | 'segmentParts'>;

/** Every store of `data`: the index's own and each of its segments'. */
function storesOf(data: WithDocuments): StoredDocuments[] {
  const stores = (documents: IndexData['documents']): StoredDocuments[] => ('parts' in documents ? documents.parts : [documents]);
  return [data.documents, ...(data.segmentParts ?? []).map((part) => part.data.documents)].flatMap(stores);
}

/**
 * Makes the stored documents of `data`, an index another thread opened and posted here
 * (a server's long-query thread: SearchEngine.openShared), read their blocks through
 * BlockFiles of this thread: a BlockFile arrives as its fields (BlockFileHandle), each
 * adopted once (BlockFile.adopt) however many stores share it; returns them (to close when
 * the index is dropped). Throws as adopt does.
 */
export function adoptBlockFiles(data: WithDocuments): BlockFile[] {
  const adopted = new Map<BlockFileHandle, BlockFile>();
  for (const store of storesOf(data)) {
    const { blocks } = store;
    if (!isBlockFileHandle(blocks)) continue;
    let file = adopted.get(blocks);
    if (!file) adopted.set(blocks, (file = BlockFile.adopt(blocks)));
    store.blocks = file;
  }
  return [...adopted.values()];
}

/**
 * The descriptors of the stored documents' files of `data` (once each), as another thread
 * adopting `data` takes them (adoptBlockFiles), by their fields only: what a server keeps of
 * an index it gave its long-query thread, to let go for it should it end holding them.
 */
export function blockFileHandles(data: WithDocuments): BlockFileHandle[] {
  const handles = new Map<number, BlockFileHandle>();
  for (const { blocks } of storesOf(data)) {
    // The thread that opened the index holds BlockFiles; one it was posted to, their fields.
    if ((blocks instanceof BlockFile || isBlockFileHandle(blocks)) && !handles.has(blocks.fd)) handles.set(blocks.fd, { fd: blocks.fd, length: blocks.length, refs: blocks.refs });
  }
  return [...handles.values()];
}

/**
 * Lets go of the references a thread took with adoptBlockFiles and never let go of,
 * because it ended without closing its engine (it failed, or was terminated): without
 * this the descriptors would stay open, and the files of removed generations on disk,
 * until the process ends. Only for a thread known to hold them (see heavyLane.ts).
 */
export function releaseBlockFiles(handles: readonly BlockFileHandle[]): void {
  for (const handle of handles) release(handle);
}
