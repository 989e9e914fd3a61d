/** A server's long-query thread taking over the stored documents' files of the index its event loop opened (see blockFile.ts). */
import { BlockFile, BlockFileHandle, isBlockFileHandle } from './blockFile';
import type { IndexData } from './data';
import type { StoredDocuments } from './docStore';

/**
 * Makes the stored documents of `data`, an index another thread opened and posted here
 * (a server's long-query thread: SearchEngine.openShared), read their blocks through
 * BlockFiles of this thread: a BlockFile arrives as its fields (BlockFileHandle), each
 * adopted once (BlockFile.adopt) however many stores share it; returns them (to close when
 * the index is dropped). Throws as adopt does.
 */
export function adoptBlockFiles(data: Pick<IndexData, 'documents' | 'segmentParts'>): BlockFile[] {
  const adopted = new Map<BlockFileHandle, BlockFile>();
  const adopt = (store: StoredDocuments): void => {
    const { blocks } = store;
    if (!isBlockFileHandle(blocks)) return;
    let file = adopted.get(blocks);
    if (!file) adopted.set(blocks, (file = BlockFile.adopt(blocks)));
    store.blocks = file;
  };
  const stores = (documents: IndexData['documents']): StoredDocuments[] => ('parts' in documents ? documents.parts : [documents]);
  for (const documents of [data.documents, ...(data.segmentParts ?? []).map((part) => part.data.documents)]) stores(documents).forEach(adopt);
  return [...adopted.values()];
}
