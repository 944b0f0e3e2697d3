namespace PolicyEngine.Document;

/// <summary>An object member: its name, the byte offset of the name, and its value.</summary>
internal readonly record struct JMember(string Name, int NameOffset, JNode Value) : IJChild<JMember>
{
    public static JMember Of(JTree tree, int id) => new(tree.Key(id)!, tree.Slot(id), new JNode(tree, id));
}
