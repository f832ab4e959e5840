Attribute VB_Name = "ILR"
' ilrkit's ribbon callbacks. Each button of the ILR tab calls its own Sub here, and each Sub runs its own
' function in the Python package ilrkit.addin.desktop through xlwings' RunPython (BSD licence, no key).
' File and folder names are passed as UTF-16 hex so that no quote or accent can break the command line.
Option Explicit

Private Const PY As String = "import ilrkit.addin.desktop as ilrkit_desktop; ilrkit_desktop."

Public Sub ilrkit_Validate(control As IRibbonControl)
    If NoWorkbook() Then Exit Sub
    RunPython PY & "validate()"
End Sub

Public Sub ilrkit_Clear(control As IRibbonControl)
    If NoWorkbook() Then Exit Sub
    RunPython PY & "clear()"
End Sub

Public Sub ilrkit_Export(control As IRibbonControl)
    Dim folder As String
    If NoWorkbook() Then Exit Sub
    If ActiveWorkbook.Path = "" Or InStr(ActiveWorkbook.Path, "://") > 0 Then
        folder = PickFolder()
    End If
    RunPython PY & "export('" & ToHex(folder) & "')"
End Sub

Public Sub ilrkit_Import(control As IRibbonControl)
    Dim path As String
    If NoWorkbook() Then Exit Sub
    path = PickXmlFile()
    If path = "" Then Exit Sub
    RunPython PY & "import_xml('" & ToHex(path) & "')"
End Sub

Public Sub ilrkit_NewTemplate(control As IRibbonControl)
    If ActiveWorkbook Is Nothing Then Workbooks.Add
    RunPython PY & "new_template()"
End Sub

Private Function NoWorkbook() As Boolean
    If ActiveWorkbook Is Nothing Then
        MsgBox "Open your ILR workbook first, then click the button again.", vbInformation, "ILR"
        NoWorkbook = True
    End If
End Function

Private Function PickFolder() As String
    #If Mac Then
        PickFolder = ""  ' no folder dialog for add-ins on Mac: ilrkit uses the Documents folder
    #Else
        With Application.FileDialog(4)  ' msoFileDialogFolderPicker
            .Title = "Choose the folder for the ILR XML file"
            If .Show = -1 Then PickFolder = .SelectedItems(1)
        End With
    #End If
End Function

Private Function PickXmlFile() As String
    Dim chosen As Variant
    #If Mac Then
        chosen = Application.GetOpenFilename()
    #Else
        chosen = Application.GetOpenFilename("ILR XML files (*.xml),*.xml", , "Choose the ILR XML file to import")
    #End If
    If VarType(chosen) = vbString Then PickXmlFile = chosen
End Function

Private Function ToHex(ByVal text As String) As String
    Dim i As Long, out As String
    For i = 1 To Len(text)
        out = out & Right$("000" & Hex$(AscW(Mid$(text, i, 1)) And &HFFFF&), 4)
    Next i
    ToHex = out
End Function
