package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// sideTabs is a column of tab buttons beside the selected tab's content:
// every tab stays reachable at 1024×600 (a top row would push learners
// behind an overflow menu), and the buttons are ours, so the window's
// state file can say where each one is. Hidden tabs are not laid out or
// drawn.
type sideTabs struct {
	Items      []*container.TabItem
	OnSelected func(*container.TabItem)

	content  fyne.CanvasObject
	buttons  []*widget.Button
	stack    *fyne.Container
	selected int
}

func newSideTabs(items ...*container.TabItem) *sideTabs {
	t := &sideTabs{Items: items, stack: container.NewStack()}
	col := container.NewVBox()
	for i, it := range items {
		b := widget.NewButton(it.Text, func() { t.SelectIndex(i) })
		b.Alignment = widget.ButtonAlignLeading
		b.Importance = widget.LowImportance
		t.buttons = append(t.buttons, b)
		col.Add(b)
		t.stack.Add(it.Content)
		it.Content.Hide()
	}
	t.selected = -1
	t.content = container.NewBorder(nil, nil, container.NewVScroll(col), nil, t.stack)
	if len(items) > 0 {
		t.SelectIndex(0)
	}
	return t
}

// Selected is the tab shown.
func (t *sideTabs) Selected() *container.TabItem {
	if t.selected < 0 {
		return nil
	}
	return t.Items[t.selected]
}

// Select shows the given tab.
func (t *sideTabs) Select(item *container.TabItem) {
	for i, it := range t.Items {
		if it == item {
			t.SelectIndex(i)
		}
	}
}

// SelectIndex shows tab i.
func (t *sideTabs) SelectIndex(i int) {
	if i < 0 || i >= len(t.Items) || i == t.selected {
		return
	}
	if t.selected >= 0 {
		t.Items[t.selected].Content.Hide()
		t.buttons[t.selected].Importance = widget.LowImportance
		t.buttons[t.selected].Refresh()
	}
	t.selected = i
	t.Items[i].Content.Show()
	t.buttons[i].Importance = widget.HighImportance
	t.buttons[i].Refresh()
	t.stack.Refresh()
	if t.OnSelected != nil {
		t.OnSelected(t.Items[i])
	}
}
