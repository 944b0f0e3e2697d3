namespace PolicyEngine.Document;

/// <summary>What a container's child is seen as: an item, or a member with its name.</summary>
internal interface IJChild<out T>
{
    static abstract T Of(JTree tree, int id);
}
