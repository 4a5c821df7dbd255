//! File storage behind one interface: put as a stream (SHA-256 and size computed on the way in,
//! refused as soon as a size cap is passed), get as a stream, delete. [`LocalFileStore`] keeps
//! files in a directory; an S3-compatible store implements the same trait.

use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;

use argon2::password_hash::rand_core::{OsRng, RngCore};
use bytes::Bytes;
use futures::future::BoxFuture;
use futures::{Stream, StreamExt};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub type ByteStream = Pin<Box<dyn Stream<Item = Result<Bytes, io::Error>> + Send>>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredObject {
    pub key: String,
    pub size: u64,
    pub sha256: String,
    /// The first bytes, for type sniffing (`rules::materials::sniff`).
    pub head: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum FileStoreError {
    #[error("file larger than {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("no such file")]
    NotFound,
    #[error("invalid key")]
    InvalidKey,
    #[error("storage error: {0}")]
    Io(#[from] io::Error),
}

pub trait FileStore: Send + Sync {
    /// Streams `body` into the store. With `limit`, stops and discards the partial file as soon as
    /// more than `limit` bytes arrived.
    fn put(&self, body: ByteStream, limit: Option<u64>) -> BoxFuture<'_, Result<StoredObject, FileStoreError>>;
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<ByteStream, FileStoreError>>;
    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<(), FileStoreError>>;
}

/// Deletes `key`, which no row holds any more (a refused upload, a removed draft file): a failure
/// leaves an orphan object, not an error for the caller, and is logged with `why`.
pub async fn forget(store: &dyn FileStore, key: &str, why: &'static str) {
    if let Err(e) = store.delete(key).await {
        tracing::warn!(error = %e, key, why, "could not delete an object no row holds");
    }
}

/// Files in a local directory: `objects/ab/cd/abcd…` plus a `tmp/` for uploads in progress.
pub struct LocalFileStore {
    root: PathBuf,
}

impl LocalFileStore {
    pub fn new(root: impl Into<PathBuf>) -> io::Result<Self> {
        let root = root.into();
        std::fs::create_dir_all(root.join("objects"))?;
        std::fs::create_dir_all(root.join("tmp"))?;
        Ok(LocalFileStore { root })
    }

    fn path_of(&self, key: &str) -> Result<PathBuf, FileStoreError> {
        if key.len() != 32 || !key.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(FileStoreError::InvalidKey);
        }
        Ok(self.root.join("objects").join(&key[0..2]).join(&key[2..4]).join(key))
    }
}

fn new_key() -> String {
    let mut b = [0u8; 16];
    OsRng.fill_bytes(&mut b);
    super::auth::hex(&b)
}

const HEAD_LEN: usize = rules::materials::SNIFF_LEN;

impl FileStore for LocalFileStore {
    fn put(&self, mut body: ByteStream, limit: Option<u64>) -> BoxFuture<'_, Result<StoredObject, FileStoreError>> {
        Box::pin(async move {
            let key = new_key();
            let tmp = self.root.join("tmp").join(&key);
            let result = async {
                let mut file = tokio::fs::File::create(&tmp).await?;
                let mut hasher = Sha256::new();
                let mut size = 0u64;
                let mut head = Vec::with_capacity(HEAD_LEN);
                while let Some(chunk) = body.next().await {
                    let chunk = chunk?;
                    size += chunk.len() as u64;
                    if let Some(l) = limit {
                        if size > l {
                            return Err(FileStoreError::TooLarge { limit: l });
                        }
                    }
                    if head.len() < HEAD_LEN {
                        let take = (HEAD_LEN - head.len()).min(chunk.len());
                        head.extend_from_slice(&chunk[..take]);
                    }
                    hasher.update(&chunk);
                    file.write_all(&chunk).await?;
                }
                file.flush().await?;
                file.sync_data().await?;
                Ok((size, super::auth::hex(&hasher.finalize()), head))
            }
            .await;
            match result {
                Ok((size, sha256, head)) => {
                    let dest = self.path_of(&key)?;
                    tokio::fs::create_dir_all(dest.parent().expect("has parent")).await?;
                    tokio::fs::rename(&tmp, &dest).await?;
                    Ok(StoredObject { key, size, sha256, head })
                }
                Err(e) => {
                    let _ = tokio::fs::remove_file(&tmp).await;
                    Err(e)
                }
            }
        })
    }

    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<ByteStream, FileStoreError>> {
        Box::pin(async move {
            let path = self.path_of(key)?;
            let file = tokio::fs::File::open(&path).await.map_err(|e| {
                if e.kind() == io::ErrorKind::NotFound {
                    FileStoreError::NotFound
                } else {
                    e.into()
                }
            })?;
            Ok(read_stream(file))
        })
    }

    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<(), FileStoreError>> {
        Box::pin(async move {
            let path = self.path_of(key)?;
            match tokio::fs::remove_file(&path).await {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == io::ErrorKind::NotFound => Err(FileStoreError::NotFound),
                Err(e) => Err(e.into()),
            }
        })
    }
}

/// Reads a file as a stream of 64 KiB chunks. Fused: the HTTP body (under the compression layer)
/// may poll once more after the end, which an unfold does not allow.
pub fn read_stream(file: tokio::fs::File) -> ByteStream {
    use futures::StreamExt;
    Box::pin(
        futures::stream::unfold(Some(file), |state| async move {
            let mut file = state?;
            let mut buf = vec![0u8; 64 * 1024];
            match file.read(&mut buf).await {
                Ok(0) => None,
                Ok(n) => {
                    buf.truncate(n);
                    Some((Ok(Bytes::from(buf)), Some(file)))
                }
                Err(e) => Some((Err(e), None)),
            }
        })
        .fuse(),
    )
}

pub fn root_of(store: &LocalFileStore) -> &Path {
    &store.root
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream_of(chunks: Vec<&'static [u8]>) -> ByteStream {
        Box::pin(futures::stream::iter(chunks.into_iter().map(|c| Ok(Bytes::from_static(c)))))
    }

    #[tokio::test]
    async fn a_read_stream_may_be_polled_after_its_end() {
        let path = std::env::temp_dir().join(format!("tongban-read-{}", std::process::id()));
        tokio::fs::write(&path, vec![7u8; 70_000]).await.unwrap();
        let mut s = read_stream(tokio::fs::File::open(&path).await.unwrap());
        let mut n = 0;
        while let Some(c) = s.next().await {
            n += c.unwrap().len();
        }
        assert_eq!(n, 70_000);
        assert!(s.next().await.is_none(), "polled again after the end: still the end, no panic");
        let _ = tokio::fs::remove_file(&path).await;
    }

    async fn collect(mut s: ByteStream) -> Vec<u8> {
        let mut v = Vec::new();
        while let Some(c) = s.next().await {
            v.extend_from_slice(&c.unwrap());
        }
        v
    }

    #[tokio::test]
    async fn put_get_delete() {
        let dir = tempfile::tempdir().unwrap();
        let store = LocalFileStore::new(dir.path()).unwrap();
        let obj = store.put(stream_of(vec![b"%PDF-1.7\n", b"hello"]), Some(100)).await.unwrap();
        assert_eq!(obj.size, 14);
        // sha256("%PDF-1.7\nhello")
        assert_eq!(obj.sha256, super::super::auth::hex(&Sha256::digest(b"%PDF-1.7\nhello")));
        assert_eq!(rules::materials::sniff(&obj.head), Some(rules::materials::FileType::Pdf));
        assert_eq!(collect(store.get(&obj.key).await.unwrap()).await, b"%PDF-1.7\nhello");
        store.delete(&obj.key).await.unwrap();
        assert!(matches!(store.get(&obj.key).await, Err(FileStoreError::NotFound)));
        assert!(matches!(store.get("../../etc/passwd").await, Err(FileStoreError::InvalidKey)));
    }

    #[tokio::test]
    async fn too_large_is_refused_early_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = LocalFileStore::new(dir.path()).unwrap();
        // the third chunk would fail the test if it were read: the limit is passed at the second
        let s: ByteStream = Box::pin(futures::stream::iter(vec![
            Ok(Bytes::from_static(&[0u8; 60])),
            Ok(Bytes::from_static(&[0u8; 60])),
            Err(io::Error::other("read past the limit")),
        ]));
        assert!(matches!(store.put(s, Some(100)).await, Err(FileStoreError::TooLarge { limit: 100 })));
        assert_eq!(std::fs::read_dir(dir.path().join("tmp")).unwrap().count(), 0);
    }
}
