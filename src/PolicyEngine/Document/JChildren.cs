using System.Collections;

namespace PolicyEngine.Document;

/// <summary>
/// A container's items or members, walked along the tree's links; enumerating allocates nothing. The default
/// value (no tree) is empty, as <c>[]</c> makes.
/// </summary>
internal readonly struct JChildren<T>(JTree tree, int container) : IEnumerable<T>
    where T : IJChild<T>
{
    public int Length => tree is null ? 0 : tree.Count(container);

    /// <summary>The child at <paramref name="index"/>; walks from the first, so loops should enumerate instead.</summary>
    public T this[int index]
    {
        get
        {
            var e = GetEnumerator();
            for (int i = 0; i <= index; i++)
            {
                if (!e.MoveNext())
                {
                    throw new ArgumentOutOfRangeException(nameof(index));
                }
            }

            return e.Current;
        }
    }

    public Enumerator GetEnumerator() => new(tree, container);

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public struct Enumerator(JTree tree, int container) : IEnumerator<T>
    {
        private int _id = -1;

        public readonly T Current => T.Of(tree, _id);

        readonly object IEnumerator.Current => Current;

        public bool MoveNext()
        {
            if (tree is null || _id == 0)
            {
                return false;
            }

            _id = _id < 0 ? tree.First(container) : tree.Next(_id);
            return _id != 0;
        }

        public void Reset() => _id = -1;

        public readonly void Dispose()
        {
        }
    }
}
